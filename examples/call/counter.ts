import { LumenizeBase } from "lumenize-do";

/** Thrown by the counter for a bad amount; its name survives the trip home. */
export class CounterError extends Error {
  override name = "CounterError";
}

/**
 * The remote side of the call example: a plain LumenizeBase DO. Nothing in
 * it knows about `call`; its public methods are simply reachable by chains.
 */
export class CounterDO extends LumenizeBase<Env> {
  increment(by = 1): number {
    if (!Number.isInteger(by)) throw new CounterError(`Cannot count by ${by}: give a whole number.`);
    const count = (this.ctx.storage.kv.get<number>("count") ?? 0) + by;
    this.ctx.storage.kv.put("count", count);
    return count;
  }

  /** A deliberately slow read, to show timeouts. */
  async slowCount(delayMs: number): Promise<number> {
    await scheduler.wait(delayMs);
    return this.ctx.storage.kv.get<number>("count") ?? 0;
  }
}
