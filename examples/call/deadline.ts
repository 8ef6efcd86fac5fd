import { LumenizeBase } from "lumenize-do";
import type { CounterDO } from "./counter";

/** What the last peek brought back: the count, or the Error's name. */
export type Peek = number | string | undefined;

/** The call of UserDO with a deadline, and the same remote awaited instead. */
export class ImpatientUserDO extends LumenizeBase<Env> {
  /** A counter slower than `timeoutMs` yields a TimeoutError in `onPeek` instead. */
  peekWithin(timeoutMs: number, counterDelayMs: number): string {
    const remote = this.ctn<CounterDO>().slowCount(counterDelayMs);
    return this.lmz.call("COUNTER", "visits", remote, this.ctn().onPeek(remote), { timeout: timeoutMs });
  }

  onPeek(count: number | Error): void {
    this.ctx.storage.kv.put<Peek>("peek", count instanceof Error ? count.name : count);
  }

  lastPeek(): Peek {
    return this.ctx.storage.kv.get<Peek>("peek");
  }

  /** When you would rather await: `callRaw` resolves with the result or rejects with the Error. */
  async visitsNow(): Promise<number> {
    return this.lmz.callRaw("COUNTER", "visits", this.ctn<CounterDO>().increment(0));
  }
}
