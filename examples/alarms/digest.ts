import { LumenizeBase } from "lumenize-do";

/** One digest: when it went out, and how many notes it carried. */
export interface Digest {
  at: string;
  notes: number;
}

/** Collects notes all day and sends them as one digest, every day at 08:00 UTC. */
export class DigestDO extends LumenizeBase<Env> {
  note(text: string): void {
    this.ctx.storage.kv.put("notes", [...this.#notes(), text]);
  }

  /** Safe to call on every wake: the fixed id replaces the schedule instead of adding one. */
  startDailyDigest(): string {
    const digest = this.lmz.alarms.schedule("0 8 * * *", this.ctn().sendDigest(), { id: "daily-digest" });
    return new Date(digest.time).toISOString(); // next 08:00 UTC
  }

  /** Runs every day at 08:00 UTC; the cron schedule then re-arms itself for the next day. */
  sendDigest(): void {
    this.ctx.storage.kv.put("digests", [...this.digests(), { at: new Date().toISOString(), notes: this.#notes().length }]);
    this.ctx.storage.kv.delete("notes");
  }

  digests(): Digest[] {
    return this.ctx.storage.kv.get<Digest[]>("digests") ?? [];
  }

  #notes(): string[] {
    return this.ctx.storage.kv.get<string[]>("notes") ?? [];
  }
}
