/**
 * A small cron parser and next-time function, evaluated in UTC.
 *
 * Five fields: minute (0-59), hour (0-23), day-of-month (1-31), month (1-12
 * or JAN-DEC), day-of-week (0-7 or SUN-SAT, 0 and 7 both Sunday). Each field
 * is `*` or a comma list of values, ranges `a-b` and steps `*∕n`, `a-b/n`,
 * `a/n`. Macros: `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`,
 * `@midnight`, `@hourly`. Day-of-month and day-of-week follow the classic
 * rule: when both are restricted (neither starts with `*`), a day matching
 * either one fires.
 */
import { AlarmsError } from "./errors";

/** A parsed cron expression: for each field, which values it allows. */
export interface CronExpression {
  /** The expression as given. */
  readonly source: string;
  /** `minutes[m]` is true if minute `m` (0-59) is allowed; likewise below. */
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  /** Indexed 1-31. */
  readonly days: readonly boolean[];
  /** Indexed 1-12. */
  readonly months: readonly boolean[];
  /** Indexed 0-6, Sunday first (a 7 in the expression is folded to 0). */
  readonly weekdays: readonly boolean[];
  /** Whether day-of-month and day-of-week both restrict (then either may match). */
  readonly eitherDay: boolean;
}

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names for `min`, `min + 1`, …, if the field has them. */
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const FORMAT_HINT = "A cron expression here has 5 fields, minute hour day-of-month month day-of-week, evaluated in UTC (e.g. \"0 8 * * MON-FRI\").";

/** The longest month each month can have (February in a leap year). */
const LONGEST_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a 5-field cron expression.
 *
 * @throws {AlarmsError} naming the bad field, for a wrong number of fields, an
 *   unknown value, a value out of range, a bad step, or a day that no allowed
 *   month has (e.g. `0 0 30 2 *`).
 */
export function parseCron(source: string): CronExpression {
  if (typeof source !== "string") throw new AlarmsError(`Invalid cron expression: expected a string, got ${typeof source}. ${FORMAT_HINT}`);
  const text = MACROS[source.trim().toLowerCase()] ?? source.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5 || parts[0] === "") {
    throw new AlarmsError(
      `Invalid cron expression "${source}": it has ${parts[0] === "" ? 0 : parts.length} fields, expected 5 (seconds and years are not supported). ${FORMAT_HINT}`,
    );
  }
  const [minutes, hours, days, months, weekdays] = parts.map((part, index) => parseField(source, part, FIELDS[index]));
  // 7 is Sunday too.
  if (weekdays[7]) weekdays[0] = true;
  weekdays.length = 7;

  const eitherDay = !parts[2].startsWith("*") && !parts[4].startsWith("*");
  // Unless a weekday may stand in, some allowed day must exist in some allowed month.
  if (!eitherDay && !months.some((allowed, month) => allowed && days.some((ok, day) => ok && day <= LONGEST_MONTH[month]))) {
    throw new AlarmsError(
      `Invalid cron expression "${source}": the day-of-month field "${parts[2]}" names no day that the month field "${parts[3]}" has, so it would never fire. ${FORMAT_HINT}`,
    );
  }
  return { source, minutes, hours, days, months, weekdays, eitherDay };
}

function parseField(source: string, text: string, field: Field): boolean[] {
  const allowed = new Array<boolean>(field.max + 1).fill(false);
  const fail = (problem: string) =>
    new AlarmsError(`Invalid cron expression "${source}": the ${field.name} field "${text}" ${problem}. ${FORMAT_HINT}`);

  for (const item of text.split(",")) {
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined) throw fail(`has more than one "/" in "${item}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw fail(`has step "${stepText}"; a step is a whole number of at least 1`);
      step = Number(stepText);
    }
    // `*` and `a/n` run to the field's end; for day-of-week that is Saturday (7 is only an alias).
    const end = field.name === "day-of-week" ? 6 : field.max;
    let low: number;
    let high: number;
    if (range === "*") {
      low = field.min;
      high = end;
    } else if (range.includes("-")) {
      const [from, to, more] = range.split("-");
      if (more !== undefined) throw fail(`has a malformed range "${range}"`);
      low = valueOf(from, field, fail);
      high = valueOf(to, field, fail);
      if (low > high) throw fail(`has range "${range}" running backwards; write it low-high`);
    } else {
      low = valueOf(range, field, fail);
      // `a/n` means from a to the end of the field, every n.
      high = stepText === undefined ? low : Math.max(low, end);
    }
    for (let value = low; value <= high; value += step) allowed[value] = true;
  }
  return allowed;
}

function valueOf(token: string, field: Field, fail: (problem: string) => AlarmsError): number {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < field.min || value > field.max) throw fail(`has ${value}, outside ${field.min}-${field.max}`);
    return value;
  }
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index >= 0) return field.min + index;
  throw fail(token === "" ? "has an empty value" : `has "${token}", which is not a number${field.names ? " or a name like " + field.names[0] : ""}`);
}

const MINUTE = 60_000;
/** How far ahead to look before deciding an expression never fires (leap days can be 8 years apart). */
const HORIZON_YEARS = 28;

/**
 * The first time the expression allows strictly after `after`, in epoch
 * milliseconds (always a whole minute, UTC), or `undefined` if none falls in
 * the next 28 years.
 *
 * It jumps field by field (to the next allowed month, day, hour, minute), so
 * a sparse expression costs a few dozen steps, not a minute-by-minute walk.
 */
export function nextCronTime(cron: CronExpression, after: number): number | undefined {
  if (!Number.isFinite(after)) return undefined;
  let time = (Math.floor(after / MINUTE) + 1) * MINUTE;
  const lastYear = new Date(time).getUTCFullYear() + HORIZON_YEARS;
  for (;;) {
    const date = new Date(time);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    if (year > lastYear) return undefined;
    if (!cron.months[month + 1]) {
      time = Date.UTC(year, month + 1, 1);
    } else if (!dayMatches(cron, year, month, day)) {
      time = Date.UTC(year, month, day + 1);
    } else {
      const nextHour = firstAllowed(cron.hours, hour);
      if (nextHour === undefined) {
        time = Date.UTC(year, month, day + 1);
      } else if (nextHour !== hour) {
        time = Date.UTC(year, month, day, nextHour);
      } else {
        const nextMinute = firstAllowed(cron.minutes, date.getUTCMinutes());
        if (nextMinute !== undefined) return Date.UTC(year, month, day, hour, nextMinute);
        time = Date.UTC(year, month, day, hour + 1);
      }
    }
  }
}

function dayMatches(cron: CronExpression, year: number, month: number, day: number): boolean {
  const byDate = cron.days[day] === true;
  const byWeekday = cron.weekdays[new Date(Date.UTC(year, month, day)).getUTCDay()] === true;
  return cron.eitherDay ? byDate || byWeekday : byDate && byWeekday;
}

/** The smallest allowed value at or above `from`, if any. */
function firstAllowed(allowed: readonly boolean[], from: number): number | undefined {
  for (let value = from; value < allowed.length; value++) if (allowed[value]) return value;
  return undefined;
}
