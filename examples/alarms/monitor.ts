/**
 * The "Alarms" docs page, sections "Every N seconds" and "What is waiting"
 * (which shows it whole): a monitor that checks an upstream on an interval,
 * and the lists an operator reads from outside the object, over RPC.
 * Run by test/alarms/monitor-example.test.ts.
 */
import { $schedule, describeChain, LumenizeBase, type Schedule } from "lumenize-do";

/** What `pendingWork()` answers: plain data, each continuation described as `method(…)`. */
export interface PendingWork {
  schedules: { id: string; type: Schedule["type"]; next: string; handler: string }[];
  outcomes: { id: string; deadline: string; handler: string }[];
  deadLetters: { kind: "schedule" | "outcome"; id: string; droppedAt: string; attempts: number; error: string; handler: string }[];
}

export class MonitorDO extends LumenizeBase<Env> {
  /** Checks every `seconds` from now on; calling it again changes the period. */
  startChecks(seconds: number): void {
    this.lmz.alarms.schedule({ every: seconds }, this.ctn().check($schedule), { id: "check" });
  }

  stopChecks(): boolean {
    return this.lmz.alarms.cancelSchedule("check") !== undefined;
  }

  /** One check; an occurrence missed while the object was down is skipped, not run late. */
  check(schedule: Schedule): void {
    if (this.ctx.storage.kv.get<boolean>("upstream-down")) throw new Error("upstream did not answer");
    this.ctx.storage.kv.put("checks", [...this.checks(), schedule.time]);
  }

  checks(): number[] {
    return this.ctx.storage.kv.get<number[]>("checks") ?? [];
  }

  /** Makes the next checks fail, as an upstream that stopped answering would. */
  setUpstreamDown(down: boolean): void {
    this.ctx.storage.kv.put("upstream-down", down);
  }

  /**
   * What this object is waiting for, and what it gave up on: public, so a
   * Worker (an admin route, say) reaches it over RPC. Guard it as you would
   * any method that shows your data.
   */
  pendingWork(): PendingWork {
    const alarms = this.lmz.alarms;
    const at = (time: number) => new Date(time).toISOString();
    const handler = (chain: Schedule["operationChain"] | undefined) => (chain ? describeChain(chain) : "(unreadable)");
    return {
      schedules: alarms.getSchedules().map((schedule) => ({ id: schedule.id, type: schedule.type, next: at(schedule.time), handler: handler(schedule.operationChain) })),
      outcomes: alarms.getPendingOutcomes().map((outcome) => ({ id: outcome.id, deadline: at(outcome.deadline), handler: handler(outcome.operationChain) })),
      deadLetters: alarms.getDeadLetters().map((letter) => ({
        kind: letter.kind,
        id: letter.id,
        droppedAt: at(letter.droppedAt),
        attempts: letter.attempts,
        error: `${letter.error.name}: ${letter.error.message}`,
        handler: handler(letter.operationChain),
      })),
    };
  }

  /** Empties the dead letters once someone has read them; returns how many there were. */
  clearDeadLetters(): number {
    return this.lmz.alarms.clearDeadLetters();
  }
}
