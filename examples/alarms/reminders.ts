/**
 * The quick start of the "Alarms" docs page (website/docs/capabilities/alarms.md,
 * which shows it whole), run as is by test/alarms/reminders-example.test.ts:
 * reminders you can list and cancel. The page's other uses have files of their
 * own: digest.ts (a cron job) and offers.ts (whoever cancels wins).
 */
import { $schedule, LumenizeBase, type Schedule } from "lumenize-do";

/** A reminder that fired, oldest first: what the tests and the `/list` route show. */
export interface LogEntry {
  kind: "reminder";
  id: string;
  text: string;
}

export class RemindersDO extends LumenizeBase<Env> {
  /** Reminds `text` in `seconds` (0 and fractions allowed). Returns the reminder's id. */
  remind(text: string, seconds: number): string {
    const reminder = this.lmz.alarms.schedule(seconds, this.ctn().deliver($schedule, text), { metadata: { text } });
    return reminder.id;
  }

  /** Runs when the reminder fires, with the Schedule that fired. */
  deliver(schedule: Schedule, text: string): void {
    this.ctx.storage.kv.put("log", [...this.log(), { kind: "reminder", id: schedule.id, text }]);
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

  log(): LogEntry[] {
    return this.ctx.storage.kv.get<LogEntry[]>("log") ?? [];
  }
}
