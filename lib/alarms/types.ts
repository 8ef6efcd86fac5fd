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

/** A recurring schedule made from a 5-field cron expression. */
export type CronSchedule<M = unknown> = ScheduleFields<M> & {
  readonly type: "cron";
  /** The cron expression as given, e.g. `"0 8 * * *"`. */
  readonly cron: string;
  /** The IANA time zone the expression is read in (e.g. `"Europe/Paris"`); absent for UTC. */
  readonly timezone?: string;
};

/** A recurring schedule that fires every `every` seconds, the first time `every` seconds after it was made. */
export type IntervalSchedule<M = unknown> = ScheduleFields<M> & {
  readonly type: "interval";
  /** Seconds between firings, as given (milliseconds are kept). */
  readonly every: number;
};

/** A schedule: what `schedule()` returns and what a continuation receives through `$schedule`. */
export type Schedule<M = unknown> = DelayedSchedule<M> | ScheduledSchedule<M> | CronSchedule<M> | IntervalSchedule<M>;

/** The kinds of schedule, as in `Schedule["type"]`. */
export type ScheduleType = Schedule["type"];

/** What `schedule()` takes for an interval: `{ every: 30 }` fires every 30 seconds. */
export interface Interval {
  /** Seconds between firings: more than 0, fractions allowed (milliseconds are kept). */
  readonly every: number;
}

/** Options of `schedule()`. */
export interface ScheduleOptions<M = unknown> {
  /**
   * Your own id. Scheduling again with the same id replaces the earlier
   * schedule (so a schedule made on every wake does not pile up), unless
   * `ifExists` is `"keep"`. Defaults to a random UUID.
   */
  id?: string;
  /** Any structured-clone-able value, stored with the schedule and handed back with it. */
  metadata?: M;
  /**
   * For a cron expression only: the IANA time zone to read it in, e.g.
   * `"America/New_York"`, so `"0 8 * * *"` is 08:00 there all year, across
   * daylight-saving changes. Default: UTC.
   */
  timezone?: string;
  /**
   * What to do when a schedule with this `id` is already waiting:
   * `"replace"` it (the default: its time, continuation and metadata become
   * the ones given), or `"keep"` it as it is and return it, writing nothing.
   * `"keep"` is what a heartbeat scheduled on every wake needs: replacing
   * would push its time back on each wake, so it might never fire. A
   * one-shot whose handler has started counts as fired, not waiting.
   */
  ifExists?: "replace" | "keep";
}

/** {@link ScheduleOptions} with `ifExists: "keep"`: the schedule returned may be the existing one, of any kind. */
export type KeepOptions<M = unknown> = ScheduleOptions<M> & { ifExists: "keep" };

/** Options of `expect()`. */
export interface ExpectOptions {
  /**
   * When to stop waiting: a `Date`, or epoch **milliseconds**. If nothing
   * settled the outcome by then, the continuation receives a `TimeoutError`.
   * A past deadline answers at the next alarm.
   */
  readonly deadline: Date | number;
  /** The message of that `TimeoutError`. Default: one naming the id and the deadline. */
  readonly timeoutMessage?: string;
  /** Your own id, unique among this object's pending outcomes (a call id, say). Default: a random UUID. */
  readonly id?: string;
}

/** What `expect()` returns: hand `id` and `token` to whoever will settle the outcome. */
export interface PendingOutcome {
  /** A random UUID, unique in this Durable Object. */
  readonly id: string;
  /**
   * 128 random bits as 32 hex digits. Settling needs it, so only its holder
   * can deliver the outcome. Keep it out of logs and URLs.
   */
  readonly token: string;
  /** The deadline, in epoch milliseconds. */
  readonly deadline: number;
}

/** A pending outcome that its deadline answered, as `triggerAlarms()` reports it. */
export interface ExpiredOutcome {
  readonly type: "outcome";
  readonly id: string;
  /** The deadline, in epoch milliseconds. */
  readonly time: number;
  /** The continuation that received the `TimeoutError`. */
  readonly operationChain: OperationChain;
}

/** What `triggerAlarms()` ran: schedules, and pending outcomes whose deadline it answered. */
export type Fired = Schedule | ExpiredOutcome;

/** A pending outcome as {@link Alarms.getPendingOutcomes} lists it: everything but its token. */
export interface PendingOutcomeInfo {
  readonly id: string;
  /** The deadline, in epoch milliseconds. */
  readonly deadline: number;
  /** The continuation waiting for the outcome. */
  readonly operationChain: OperationChain;
}

/**
 * A handler that was given up on, as {@link Alarms.getDeadLetters} lists it:
 * a schedule dropped after its last attempt (a cron or interval schedule
 * moves on to its next occurrence, and its dropped run is recorded here), or
 * the continuation of a pending outcome that threw (never retried).
 */
export interface DeadLetter<M = unknown> {
  /** What was dropped: a schedule's run, or a pending outcome's continuation. */
  readonly kind: "schedule" | "outcome";
  /** The schedule's or the pending outcome's id. */
  readonly id: string;
  /** The schedule's kind; absent for an outcome. */
  readonly type?: ScheduleType;
  /** When it was due (a pending outcome: its deadline), in epoch milliseconds. */
  readonly time: number;
  /** When it was dropped, in epoch milliseconds. */
  readonly droppedAt: number;
  /** Runs, crashes included, before it was dropped. */
  readonly attempts: number;
  /** The continuation, or `undefined` if it could not be read back (why it was dropped). */
  readonly operationChain: OperationChain | undefined;
  /** The schedule's metadata, if it had any. */
  readonly metadata?: M;
  /** What the last attempt threw (or why it was dropped), as name and message. */
  readonly error: { readonly name: string; readonly message: string };
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
