/**
 * The "Alarms" docs page, section "In a time zone": a daily stand-up reminder
 * at 09:30 on weekdays where the team works, across daylight-saving changes.
 * Run by test/alarms/standup-example.test.ts.
 */
import { $schedule, LumenizeBase, type Schedule } from "lumenize-do";

export class StandupDO extends LumenizeBase<Env> {
  /**
   * 09:30, Monday to Friday, in `timezone` (an IANA name such as
   * "America/New_York"); safe to call again, e.g. when the team moves.
   * Returns the next reminder's time, in UTC.
   */
  startStandups(timezone: string): string {
    const next = this.lmz.alarms.schedule("30 9 * * MON-FRI", this.ctn().remindStandup($schedule), { id: "standup", timezone });
    return new Date(next.time).toISOString();
  }

  /** Runs at each occurrence; the schedule then re-arms for the next weekday. */
  remindStandup(schedule: Schedule): void {
    this.ctx.storage.kv.put("reminded", [...this.reminded(), new Date(schedule.time).toISOString()]);
  }

  /** When each reminder was due, in UTC. */
  reminded(): string[] {
    return this.ctx.storage.kv.get<string[]>("reminded") ?? [];
  }
}
