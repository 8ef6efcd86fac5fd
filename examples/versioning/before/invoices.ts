/**
 * "Redeploy and versioning" (website/docs/guides/versioning.md): the class
 * before a method is renamed. ../after/invoices.ts is the same class after
 * the rename; test/versioning/rename.test.ts stores a schedule with this one
 * and fires it with that one, as a deploy would.
 */
import { LumenizeBase } from "lumenize-do";

export class InvoiceDO extends LumenizeBase<Env> {
  /** Reminds about `invoice` when it falls due. The stored schedule names `sendReminder`. */
  issue(invoice: string, dueInSeconds: number): void {
    this.lmz.alarms.schedule(dueInSeconds, this.ctn().sendReminder(invoice), { id: `due:${invoice}` });
  }

  sendReminder(invoice: string): void {
    this.ctx.storage.kv.put(`reminded:${invoice}`, "reminded once");
  }

  reminded(invoice: string): string | undefined {
    return this.ctx.storage.kv.get<string>(`reminded:${invoice}`);
  }
}
