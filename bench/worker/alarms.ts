/**
 * Experiments 2 and 5: what a schedule costs.
 *
 * 2. `schedule(0, …)` against a direct call doing the same work (one small
 *    KV write per operation), to put a number on the price of going through
 *    the alarm.
 * 5. Scale: 10,000 schedules in one DO, timed while scheduling and while
 *    firing.
 */
import { $schedule, type Schedule } from "../../lib";
import { ExperimentController, type Outcome } from "./controller";
import type { BenchEnv } from "./env";

export class AlarmsBenchDO extends ExperimentController<BenchEnv> {
  /** When the platform alarm last entered `alarm()` (epoch ms): where firing starts. */
  #alarmAt: number | undefined;

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    this.#alarmAt ??= Date.now();
    await super.alarm(info);
  }

  /** The work each operation does: one KV write, then it counts as arrived. */
  work(schedule: Schedule | number, batchId: string): void {
    const n = typeof schedule === "number" ? schedule : schedule.id;
    this.ctx.storage.kv.put("last", n);
    this.arrived(n, batchId);
  }

  // ---------------------------------------------------------------------------
  // Experiment methods
  // ---------------------------------------------------------------------------

  /** Baseline: the same work, called directly. */
  async direct(size: number): Promise<Outcome> {
    const batch = this.openBatch(size);
    for (let i = 0; i < size; i++) this.work(i, batch.id);
    return batch.done;
  }

  /**
   * `schedule(0, …)` for each operation: all become due at once and run in
   * the next platform alarm. `phases.schedule` is the time spent scheduling,
   * `phases.firstHandler` the time from the last schedule to the first
   * handler (the platform alarm's latency), `phases.fire` the time from the
   * last schedule to the last handler. What firing itself costs:
   * `phases.firing`, first handler to last (as the peers were measured), and
   * `phases.alarmToLast`, from the platform alarm entering `alarm()` to the
   * last handler (the due query and claims before the first handler too).
   */
  async viaSchedule(size: number): Promise<Outcome> {
    this.#alarmAt = undefined;
    const started = Date.now();
    const batch = this.openBatch(size);
    for (let i = 0; i < size; i++) this.lmz.alarms.schedule(0, this.ctn().work($schedule, batch.id));
    const scheduled = Date.now();
    const outcome = await batch.done;
    const fired = Date.now();
    const firstAt = batch.firstAt ?? fired;
    const phases = { schedule: scheduled - started, firstHandler: firstAt - scheduled, fire: fired - scheduled, firing: fired - firstAt, alarmToLast: fired - (this.#alarmAt ?? firstAt) };
    return { ...outcome, phases };
  }
}
