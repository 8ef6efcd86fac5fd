/**
 * Cron expressions and time zones, read by croner (https://croner.56k.guru):
 * 5 fields, minute hour day-of-month month day-of-week, with croner's syntax
 * (names, lists, ranges, steps, `L`, `W`, `#`, the `@daily`-style macros),
 * day-of-month and day-of-week combined by the classic rule (when both are
 * restricted, a day matching either one fires), in UTC or an IANA time zone.
 *
 * Across a daylight-saving change, croner's rule: a fixed time that the
 * clocks skip (02:30 on the spring-forward night) fires at the first valid
 * time after the gap, and a fixed time that occurs twice fires once; an
 * expression with a wildcard or a step in its minute or hour field fires on
 * both occurrences of a repeated hour and skips the missing one.
 */
import { Cron } from "croner";
import { AlarmsError } from "./errors";

const FORMAT_HINT =
  'A cron expression here has 5 fields, minute hour day-of-month month day-of-week, read in UTC unless you give a timezone (e.g. "0 8 * * MON-FRI").';

/**
 * Parsed expressions by expression and time zone: parsing costs far more
 * than finding the next time. Kept few: croner gives each parsed
 * expression a table of 10,000 years (40 to 80 KB), and expressions may come
 * from users.
 */
const parsed = new Map<string, Cron>();
const PARSED_LIMIT = 32;

/**
 * The canonical name of an IANA time zone (`"europe/paris"` gives
 * `"Europe/Paris"`), as the runtime's `Intl` knows it.
 *
 * @throws {AlarmsError} for a name that is not a string or not a time zone.
 */
export function checkTimezone(timezone: unknown): string {
  if (typeof timezone !== "string" || timezone === "") {
    throw new AlarmsError(`Invalid timezone ${JSON.stringify(timezone)}: give an IANA time zone name such as "Europe/Paris", or leave it out for UTC.`);
  }
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: timezone }).resolvedOptions().timeZone;
  } catch (error) {
    throw new AlarmsError(`Invalid timezone "${timezone}": it is not a time zone this runtime knows. Give an IANA name such as "Europe/Paris" or "America/New_York".`, {
      cause: error,
    });
  }
}

/**
 * The first time `expression` allows strictly after `after`, in epoch
 * milliseconds (always a whole minute), read in `timezone` (UTC if absent),
 * or `undefined` if it never fires again.
 *
 * @throws {AlarmsError} naming the problem, for an expression croner refuses
 *   or one that does not have 5 fields.
 */
export function nextCronTime(expression: string, timezone: string | undefined, after: number): number | undefined {
  return cronOf(expression, timezone).nextRun(new Date(after))?.getTime() ?? undefined;
}

/** croner's fields, in its own order (seconds first) and names, with ours and their ranges. */
const FIELDS: Readonly<Record<string, { readonly name: string; readonly range: string; readonly offset: number }>> = {
  minute: { name: "minute", range: "0-59", offset: 0 },
  hour: { name: "hour", range: "0-23", offset: 0 },
  day: { name: "day-of-month", range: "1-31", offset: 1 },
  month: { name: "month", range: "1-12", offset: 1 },
  dayOfWeek: { name: "day-of-week", range: "0-7", offset: 0 },
};
const ENTRIES = ["second", "minute", "hour", "day", "month", "dayOfWeek"];

/** croner's message in the words of a 5-field expression: field names, not positions, and values as written. */
function explain(message: string): string {
  return message
    .replace(/^CronPattern:\s*/, "")
    .replace(/configuration entry (\d) \(([^)]*)\)/, (_, entry: string, text: string) => `the ${FIELDS[ENTRIES[Number(entry)]]?.name ?? "?"} field "${text}"`)
    .replace(/Invalid value for (\w+): (-?\d+)/, (whole, field: string, value: string) => {
      const known = FIELDS[field];
      return known ? `the ${known.name} field has ${Number(value) + known.offset}, outside ${known.range}` : whole;
    });
}

function cronOf(expression: string, timezone: string | undefined): Cron {
  const key = `${timezone ?? ""} ${expression}`;
  let cron = parsed.get(key);
  if (cron) return cron;
  if (typeof expression !== "string") throw new AlarmsError(`Invalid cron expression: expected a string, got ${typeof expression}. ${FORMAT_HINT}`);
  const fields = expression.trim().startsWith("@") ? 5 : expression.trim().split(/\s+/).filter(Boolean).length;
  if (fields !== 5) {
    throw new AlarmsError(`Invalid cron expression "${expression}": it has ${fields} fields, expected 5 (seconds and years are not supported). ${FORMAT_HINT}`);
  }
  try {
    cron = new Cron(expression, {
      mode: "5-part",
      // UTC by arithmetic, not through Intl: the same times, several times faster.
      ...(timezone === undefined || timezone === "UTC" ? { utcOffset: 0 } : { timezone }),
      // `a/n` (from a, every n): the hand-written parser before croner took it, and stored schedules may use it.
      sloppyRanges: true,
    });
  } catch (error) {
    throw new AlarmsError(`Invalid cron expression "${expression}": ${explain(String((error as Error)?.message ?? error))}. ${FORMAT_HINT}`, { cause: error });
  }
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(key, cron);
  return cron;
}
