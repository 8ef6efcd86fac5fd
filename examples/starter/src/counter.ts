import { LumenizeBase } from "lumenize-do";

/** One for the whole site: counts every visit. Nothing in it knows about `call`. */
export class CounterDO extends LumenizeBase<Env> {
  count(): number {
    const visits = (this.ctx.storage.kv.get<number>("visits") ?? 0) + 1;
    this.ctx.storage.kv.put("visits", visits);
    return visits;
  }
}
