/**
 * "Redeploy and versioning" (website/docs/guides/versioning.md): the class of
 * ../before/invoices.ts after `sendReminder(invoice)` became
 * `remind(invoice, nth)`. Schedules stored before the deploy still name the
 * old method with its old arguments, so it stays, forwarding, until none is
 * left.
 */
import { LumenizeBase } from "lumenize-do";

export class InvoiceDO extends LumenizeBase<Env> {
  issue(invoice: string, dueInSeconds: number): void {
    this.lmz.alarms.schedule(dueInSeconds, this.ctn().remind(invoice, 1), { id: `due:${invoice}` });
  }

  /** Reminds about `invoice` for the `nth` time. */
  remind(invoice: string, nth: number): void {
    this.ctx.storage.kv.put(`reminded:${invoice}`, `reminded ${nth === 1 ? "once" : `${nth} times`}`);
  }

  /**
   * @deprecated Renamed {@link remind}. Kept for the schedules stored before
   * the rename, which name this method and pass its arguments; remove it
   * once {@link schedulesNamingOldMethods} is empty on every object.
   */
  sendReminder(invoice: string): void {
    this.remind(invoice, 1);
  }

  /** The ids of stored schedules that still call a method kept only for them. */
  schedulesNamingOldMethods(): string[] {
    return this.lmz.alarms
      .getSchedules()
      .filter(({ operationChain: [first] }) => first?.type === "get" && first.key === "sendReminder")
      .map(({ id }) => id);
  }

  reminded(invoice: string): string | undefined {
    return this.ctx.storage.kv.get<string>(`reminded:${invoice}`);
  }
}
