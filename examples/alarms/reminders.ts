/**
 * The example behind the "Alarms" docs page (website/docs/capabilities/alarms.md, which shows it whole),
 * run as is by test/alarms/reminders-example.test.ts: reminders you can cancel,
 * a daily digest on cron, and an offer that is accepted, declined or expired,
 * exactly one of the three.
 */
import { $schedule, LumenizeBase, type Schedule } from "lumenize-do";

/** What the offer's schedule carries. */
export interface Offer {
  offerId: string;
  price: number;
}

/** Something the DO did, oldest first: what the tests and the `/list` route show. */
export type LogEntry =
  | { kind: "reminder"; id: string; text: string }
  | { kind: "digest"; reminders: number }
  | { kind: "offer"; offerId: string; price: number; outcome: "accepted" | "declined" | "expired" };

export class RemindersDO extends LumenizeBase<Env> {
  // --- Reminders ----------------------------------------------------------------

  /** Reminds `text` in `seconds` (0 and fractions allowed). Returns the reminder's id. */
  remind(text: string, seconds: number): string {
    const reminder = this.lmz.alarms.schedule(seconds, this.ctn().deliver($schedule, text), { metadata: { text } });
    return reminder.id;
  }

  /** Runs when the reminder fires, with the Schedule that fired. */
  deliver(schedule: Schedule, text: string): void {
    this.#log({ kind: "reminder", id: schedule.id, text });
  }

  /** True if the reminder was still pending: it will never fire now. */
  cancelReminder(id: string): boolean {
    return this.lmz.alarms.cancelSchedule(id) !== undefined;
  }

  /** The reminders still to come, soonest first. */
  pending(): { id: string; text: string; at: string }[] {
    return this.lmz.alarms
      .getSchedules<{ text: string }>({ type: "delayed" })
      .map((reminder) => ({ id: reminder.id, text: reminder.metadata?.text ?? "", at: new Date(reminder.time).toISOString() }));
  }

  // --- A cron job ---------------------------------------------------------------

  /** Safe to call on every wake: the fixed id replaces the schedule instead of adding one. */
  startDailyDigest(): string {
    const digest = this.lmz.alarms.schedule("0 8 * * *", this.ctn().sendDigest(), { id: "daily-digest" });
    return new Date(digest.time).toISOString(); // next 08:00 UTC
  }

  /** Runs every day at 08:00 UTC and re-arms itself for the next day. */
  sendDigest(): void {
    const log = this.log();
    const lastDigest = log.findLastIndex((entry) => entry.kind === "digest");
    const reminders = log.slice(lastDigest + 1).filter((entry) => entry.kind === "reminder").length;
    this.#log({ kind: "digest", reminders });
  }

  // --- Whoever cancels wins -----------------------------------------------------

  /** An offer that expires in `seconds` unless it is accepted or declined first. */
  makeOffer(offerId: string, price: number, seconds: number): void {
    const offer: Offer = { offerId, price };
    this.lmz.alarms.schedule(seconds, this.ctn().expireOffer($schedule), { id: `offer:${offerId}`, metadata: offer });
  }

  acceptOffer(offerId: string): "accepted" | "too late" {
    // Cancel first, act second: only the one who gets the schedule back may act.
    const offer = this.lmz.alarms.cancelSchedule<Offer>(`offer:${offerId}`);
    if (!offer?.metadata) return "too late";
    this.#log({ kind: "offer", ...offer.metadata, outcome: "accepted" });
    return "accepted";
  }

  declineOffer(offerId: string): "declined" | "too late" {
    const offer = this.lmz.alarms.cancelSchedule<Offer>(`offer:${offerId}`);
    if (!offer?.metadata) return "too late";
    this.#log({ kind: "offer", ...offer.metadata, outcome: "declined" });
    return "declined";
  }

  /** The alarm's turn: it runs only if nobody cancelled first, and once it runs, nobody can. */
  expireOffer(schedule: Schedule<Offer>): void {
    const { offerId, price } = schedule.metadata!;
    this.#log({ kind: "offer", offerId, price, outcome: "expired" });
    // Scheduled from inside a handler: it fires later, like any other.
    this.remind(`Your offer ${offerId} expired. Make a new one?`, 60);
  }

  // --- What happened --------------------------------------------------------------

  log(): LogEntry[] {
    return this.ctx.storage.kv.get<LogEntry[]>("log") ?? [];
  }

  #log(entry: LogEntry): void {
    this.ctx.storage.kv.put("log", [...this.log(), entry]);
  }
}
