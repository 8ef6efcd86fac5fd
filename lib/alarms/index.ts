/**
 * Alarms: any number of schedules (delays, dates, cron in UTC or a time
 * zone, intervals) multiplexed onto a Durable Object's one platform alarm,
 * stored in its SQLite, each running a continuation that receives the fired
 * `Schedule` through `$schedule`; pending outcomes (`expect`/`settle`): a
 * continuation that runs once with an outcome delivered from elsewhere, or a
 * `TimeoutError` at its deadline; and the dead letters of handlers given up
 * on. Reached as `this.lmz.alarms` on a `LumenizeBase`.
 *
 * @see https://lumenize.dev/docs/capabilities/alarms
 * @module
 */
export { Alarms, DEFAULT_HANDLER_TIMEOUT, MAX_ATTEMPTS, RETRY_BASE_DELAY_MS } from "./alarms";
export { AlarmsError } from "./errors";
export { $schedule } from "./types";
export type {
  CronSchedule,
  DeadLetter,
  DelayedSchedule,
  ExpectOptions,
  ExpiredOutcome,
  Fired,
  Interval,
  IntervalSchedule,
  KeepOptions,
  PendingOutcome,
  PendingOutcomeInfo,
  Schedule,
  ScheduleCriteria,
  ScheduledSchedule,
  ScheduleFields,
  ScheduleOptions,
  ScheduleType,
  TimeInput,
} from "./types";
