/**
 * The "Alarms" docs page, section "A heartbeat": events pile up in a buffer,
 * and a flush runs within 30 seconds of the first one, however busy the
 * object stays. Run by test/alarms/activity-example.test.ts.
 */
import { LumenizeBase } from "lumenize-do";

export class ActivityDO extends LumenizeBase<Env> {
  /** Called on every event: buffers it, and makes sure a flush is coming. */
  track(event: string): void {
    this.ctx.storage.kv.put("buffer", [...this.#buffer(), event]);
    // "keep": a flush already waiting keeps its time. The default, "replace",
    // would push it 30 s back on every event: under steady traffic it would never run.
    this.lmz.alarms.schedule(30, this.ctn().flush(), { id: "flush", ifExists: "keep" });
  }

  /** Sends the buffered events on as one batch (here: stores the batch). */
  flush(): void {
    const events = this.#buffer();
    this.ctx.storage.kv.put("batches", [...this.batches(), events]);
    this.ctx.storage.kv.delete("buffer");
  }

  batches(): string[][] {
    return this.ctx.storage.kv.get<string[][]>("batches") ?? [];
  }

  #buffer(): string[] {
    return this.ctx.storage.kv.get<string[]>("buffer") ?? [];
  }
}
