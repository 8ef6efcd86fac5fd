/**
 * The data of alarms: what a schedule is, how it is asked for, and the
 * `$schedule` placeholder through which a continuation receives it.
 */
import { placeholder, type OperationChain, type ResultPlaceholder } from "../chains";

/** Fields every schedule has, whatever its `type`. */
export interface ScheduleFields<M = unknown> {
  /** Unique within the Durable Object. Scheduling again with the same id replaces the schedule. */
  readonly id: string;
  /**
   * When it fires next, in epoch **milliseconds** (UTC). For a cron schedule
   * this is the next occurrence; for a schedule waiting for a retry, the
   * time of the retry.
   */
  readonly time: number;
  /** The continuation to run, as data (see Continuations). */
  readonly operationChain: OperationChain;
  /** Whatever was passed as `options.metadata`, structured-cloned. */
  readonly metadata?: M;
}

// Intersections rather than `extends`: the same types, and the API reference
// links each kind to one page of shared fields.

/** A one-shot schedule made from a delay in seconds. */
export type DelayedSchedule<M = unknown> = ScheduleFields<M> & { readonly type: "delayed" };

/** A one-shot schedule made from a `Date`. */
export type ScheduledSchedule<M = unknown> = ScheduleFields<M> & { readonly type: "scheduled" };

/** A recurring schedule made from a 5-field cron expression, evaluated in UTC. */
export type CronSchedule<M = unknown> = ScheduleFields<M> & {
  readonly type: "cron";
  /** The cron expression as given, e.g. `"0 8 * * *"`. */
  readonly cron: string;
};

/** A schedule: what `schedule()` returns and what a continuation receives through `$schedule`. */
export type Schedule<M = unknown> = DelayedSchedule<M> | ScheduledSchedule<M> | CronSchedule<M>;

/** The kinds of schedule, as in `Schedule["type"]`. */
export type ScheduleType = Schedule["type"];

/** Options of `schedule()`. */
export interface ScheduleOptions<M = unknown> {
  /**
   * Your own id. Scheduling again with the same id replaces the earlier
   * schedule (so a schedule made on every wake does not pile up). Defaults to
   * a random UUID.
   */
  id?: string;
  /** Any structured-clone-able value, stored with the schedule and handed back with it. */
  metadata?: M;
  /**
   * The value result placeholders (`$schedule`, or any other) receive when
   * this schedule fires. Default: the fired {@link Schedule}. Any
   * structured-clone-able value, stored with the schedule; proxy-fetch uses
   * it so a timeout schedule hands its continuation a `TimeoutError`.
   */
  result?: unknown;
}

/** A time given to `getSchedules`: a `Date` or epoch milliseconds. */
export type TimeInput = Date | number;

/** What `getSchedules` filters on. Every criterion is optional. */
export interface ScheduleCriteria {
  /** Only schedules of this kind. */
  type?: ScheduleType;
  /** Only schedules whose `time` lies in this range, both ends included. */
  timeRange?: { start?: TimeInput; end?: TimeInput };
}

/**
 * Stands, in a continuation's arguments, for the {@link Schedule} that fired:
 *
 * @example
 * ```ts
 * this.lmz.alarms.schedule(60, this.ctn().remind($schedule, "tea"));
 * ```
 * @see https://lumenize.dev/docs/capabilities/alarms
 */
// `any` metadata, so a handler may declare the metadata it stored, e.g.
// `remind(schedule: Schedule<{ text: string }>)`; nothing checks it at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const $schedule: ResultPlaceholder<Schedule<any>> = placeholder<Schedule<any>>();
