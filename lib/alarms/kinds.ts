/**
 * The kinds of schedule in one table: whether each recurs, when it fires
 * next, how it is made from what `schedule()` was given, and what its
 * `Schedule` carries beyond the shared fields. A new kind is an entry in
 * {@link KINDS}, a case in {@link scheduleOf} and {@link specOf} (the
 * compiler asks for both), and, if it needs a column, a schema version in
 * `store.ts`.
 */
import type { OperationChain } from "../chains";
import { checkTimezone, nextCronTime } from "./cron";
import { AlarmsError } from "./errors";
import type { Interval, Schedule, ScheduleType } from "./types";

/** The largest time a Date can hold, in epoch milliseconds. */
export const MAX_TIME = 8.64e15;

/** What a kind reads from its stored row. */
export interface SpecRow {
  readonly type: string;
  /** Epoch milliseconds: the occurrence that is due (or its retry). */
  readonly time: number;
  readonly cron: string | null;
  readonly timezone: string | null;
  /** An interval's period, in milliseconds. */
  readonly every: number | null;
}

/** How a schedule is stored: its kind, first time, and the columns only some kinds use. */
export interface Spec {
  readonly type: ScheduleType;
  readonly time: number;
  readonly cron: string | null;
  readonly timezone: string | null;
  readonly every: number | null;
}

interface Kind {
  /** Whether it fires again after a run. */
  readonly recurs: boolean;
  /**
   * For a recurring kind, the time of the occurrence after the one at
   * `row.time` that just ran, later than `now` (missed occurrences are
   * skipped, not fired in a burst); `undefined` when there is none.
   */
  readonly next: (row: SpecRow, now: number) => number | undefined;
}

const once = (): undefined => undefined;

export const KINDS = {
  delayed: { recurs: false, next: once },
  scheduled: { recurs: false, next: once },
  // After the occurrence just run, even when it ran early (triggerAlarms).
  cron: { recurs: true, next: (row, now) => nextCronTime(row.cron ?? "", row.timezone ?? undefined, Math.max(now, row.time)) },
  // On the interval's own beat: the first `time + k × every` after now.
  interval: {
    recurs: true,
    next(row, now) {
      const every = row.every ?? 0;
      if (!(every > 0)) return undefined;
      const next = row.time + Math.max(1, Math.floor((now - row.time) / every) + 1) * every;
      return next <= MAX_TIME ? next : undefined;
    },
  },
} as const satisfies { readonly [K in ScheduleType]: Kind };

/** Whether a stored `type` recurs; an unknown one (from a newer Lumenize) does not. */
export function recurs(type: string): boolean {
  return Object.hasOwn(KINDS, type) && KINDS[type as ScheduleType].recurs;
}

/** The next occurrence of a recurring row after the one just run, or `undefined` when there is none (or it does not recur). */
export function nextOccurrence(row: SpecRow, now: number): number | undefined {
  return Object.hasOwn(KINDS, row.type) ? KINDS[row.type as ScheduleType].next(row, now) : undefined;
}

/** What `schedule()` takes as its first argument. */
export type When = number | Date | string | Interval;

/**
 * How a schedule made from `when` is stored, its first time counted from
 * `now`.
 *
 * @throws {AlarmsError} for a value no kind takes, or one its kind refuses
 *   (a negative delay, an invalid Date or cron expression, a `timezone` with
 *   anything but a cron expression).
 */
export function specOf(when: When, timezone: string | undefined, now: number): Spec {
  const kind = kindOf(when);
  if (timezone !== undefined && kind !== "cron") {
    throw new AlarmsError(`The timezone option applies to a cron expression only; this schedule is ${kind === "interval" ? "an interval" : `a ${kind} one`}, whose time does not depend on a time zone.`);
  }
  switch (kind) {
    case "delayed": {
      const delay = when as number;
      if (!Number.isFinite(delay) || delay < 0) {
        throw new AlarmsError(`Invalid delay ${delay}: give a finite number of seconds, 0 or more (e.g. 0.25 for 250 ms).`);
      }
      return { type: kind, time: checkTime(now + Math.round(delay * 1000), `delay ${delay}`), cron: null, timezone: null, every: null };
    }
    case "scheduled": {
      const time = (when as Date).getTime();
      if (Number.isNaN(time)) throw new AlarmsError("Invalid Date given to schedule(): its time is NaN. Check how the Date was built.");
      return { type: kind, time, cron: null, timezone: null, every: null };
    }
    case "cron": {
      const cron = when as string;
      const zone = timezone === undefined ? undefined : checkTimezone(timezone);
      const time = nextCronTime(cron, zone, now);
      if (time === undefined) throw new AlarmsError(`The cron expression "${cron}" never fires; check its day and month fields.`);
      return { type: kind, time, cron, timezone: zone ?? null, every: null };
    }
    case "interval": {
      const seconds = (when as Interval).every;
      const every = Math.round(seconds * 1000);
      if (typeof seconds !== "number" || !Number.isFinite(seconds) || every < 1) {
        throw new AlarmsError(`Invalid interval { every: ${String(seconds)} }: give a finite number of seconds, at least 0.001 (e.g. { every: 30 }).`);
      }
      return { type: kind, time: checkTime(now + every, `interval { every: ${seconds} }`), cron: null, timezone: null, every };
    }
    default:
      kind satisfies never;
      throw new AlarmsError(`Unknown schedule kind ${String(kind)}.`);
  }
}

/**
 * A stored row as the {@link Schedule} handed back, given its id,
 * continuation and metadata (absent when `undefined`). Built as literals, not
 * spreads: this runs for every schedule made and every one fired.
 */
export function scheduleOf<M>(row: SpecRow, id: string, operationChain: OperationChain, metadata: M | undefined): Schedule<M> {
  const kind = row.type as ScheduleType;
  let schedule: Schedule<M>;
  switch (kind) {
    case "delayed":
    case "scheduled":
      schedule = { id, type: kind, time: row.time, operationChain };
      break;
    case "cron":
      schedule =
        row.timezone === null
          ? { id, type: kind, time: row.time, operationChain, cron: row.cron ?? "" }
          : { id, type: kind, time: row.time, operationChain, cron: row.cron ?? "", timezone: row.timezone };
      break;
    case "interval":
      schedule = { id, type: kind, time: row.time, operationChain, every: (row.every ?? 0) / 1000 };
      break;
    default:
      kind satisfies never;
      throw new AlarmsError(`Schedule "${id}" has unknown type ${JSON.stringify(row.type)}: was it made by a newer Lumenize?`);
  }
  // Set after the fact, so a schedule without metadata has no `metadata` key at all.
  if (metadata !== undefined) (schedule as { metadata?: M }).metadata = metadata;
  return schedule;
}

function kindOf(when: unknown): ScheduleType {
  if (typeof when === "number") return "delayed";
  if (when instanceof Date) return "scheduled";
  if (typeof when === "string") return "cron";
  if (typeof when === "object" && when !== null && "every" in when) return "interval";
  throw new AlarmsError(`Invalid "when" (${describe(when)}): give a delay in seconds, a Date, a 5-field cron string, or { every: seconds }.`);
}

function checkTime(time: number, what: string): number {
  if (time > MAX_TIME) throw new AlarmsError(`Invalid ${what}: it ends after the last time a Date can hold.`);
  return time;
}

/** What a value is, for an error message. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return "a Date";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
