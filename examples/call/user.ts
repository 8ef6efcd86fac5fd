import { LumenizeBase } from "lumenize-do";
import type { CounterDO } from "./counter";

/** What the user DO remembers about its last call. */
export interface VisitLog {
  visits?: number;
  error?: { name: string; message: string };
}

/**
 * The calling side: a user DO that counts its visits on a shared CounterDO.
 * `recordVisit` returns at once; the count arrives later in `onCounted`.
 */
export class UserDO extends LumenizeBase<Env> {
  recordVisit(by = 1): string {
    const remote = this.ctn<CounterDO>().increment(by);
    // The remote chain is its own result placeholder: `onCounted` receives
    // the number `increment` returned, or the Error it threw.
    return this.lmz.call("COUNTER", "visits", remote, this.ctn().onCounted(remote));
  }

  onCounted(count: number | Error): void {
    if (count instanceof Error) {
      this.#log({ error: { name: count.name, message: count.message } });
    } else {
      this.#log({ visits: count });
    }
  }

  lastVisit(): VisitLog {
    return this.ctx.storage.kv.get<VisitLog>("last") ?? {};
  }

  #log(entry: VisitLog): void {
    this.ctx.storage.kv.put("last", entry);
  }
}
