/** The 5-field UTC cron parser and its next-time function. */
import { describe, expect, it } from "vitest";
import { AlarmsError } from "../../lib";
import { nextCronTime, parseCron } from "../../lib/alarms/cron";

const at = (iso: string) => Date.parse(iso);
const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
/** The next `count` times after `from`, as ISO strings. */
function upcoming(cron: string, from: string, count = 1): (string | undefined)[] {
  const parsed = parseCron(cron);
  const times: (string | undefined)[] = [];
  let after = at(from);
  for (let i = 0; i < count; i++) {
    const next = nextCronTime(parsed, after);
    times.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return times;
}

describe("nextCronTime", () => {
  it("gives the next whole minute strictly after the given time, in UTC", () => {
    expect(upcoming("* * * * *", "2026-03-01T10:00:00.000Z", 2)).toEqual(["2026-03-01T10:01:00.000Z", "2026-03-01T10:02:00.000Z"]);
    expect(upcoming("* * * * *", "2026-03-01T10:00:59.999Z")).toEqual(["2026-03-01T10:01:00.000Z"]);
  });

  it("handles fixed times, lists, ranges and steps", () => {
    expect(upcoming("0 8 * * *", "2026-03-01T08:00:00.000Z", 2)).toEqual(["2026-03-02T08:00:00.000Z", "2026-03-03T08:00:00.000Z"]);
    expect(upcoming("15,45 9-10 * * *", "2026-03-01T09:20:00.000Z", 4)).toEqual([
      "2026-03-01T09:45:00.000Z",
      "2026-03-01T10:15:00.000Z",
      "2026-03-01T10:45:00.000Z",
      "2026-03-02T09:15:00.000Z",
    ]);
    expect(upcoming("*/20 * * * *", "2026-03-01T23:41:00.000Z", 2)).toEqual(["2026-03-02T00:00:00.000Z", "2026-03-02T00:20:00.000Z"]);
    expect(upcoming("0 1-9/4 * * *", "2026-03-01T00:00:00.000Z", 4)).toEqual([
      "2026-03-01T01:00:00.000Z",
      "2026-03-01T05:00:00.000Z",
      "2026-03-01T09:00:00.000Z",
      "2026-03-02T01:00:00.000Z",
    ]);
    expect(upcoming("30 5/6 * * *", "2026-03-01T06:00:00.000Z", 3)).toEqual([
      "2026-03-01T11:30:00.000Z",
      "2026-03-01T17:30:00.000Z",
      "2026-03-01T23:30:00.000Z",
    ]);
  });

  it("understands month and weekday names, any case, and 7 as Sunday", () => {
    // 2026-03-01 is a Sunday.
    expect(upcoming("0 9 * * MON-FRI", "2026-02-27T10:00:00.000Z", 2)).toEqual(["2026-03-02T09:00:00.000Z", "2026-03-03T09:00:00.000Z"]);
    expect(upcoming("0 0 * * 7", "2026-03-02T00:00:00.000Z")).toEqual(["2026-03-08T00:00:00.000Z"]);
    expect(upcoming("0 0 * * sun", "2026-03-02T00:00:00.000Z")).toEqual(["2026-03-08T00:00:00.000Z"]);
    expect(upcoming("0 0 1 jun,Dec *", "2026-03-02T00:00:00.000Z", 3)).toEqual([
      "2026-06-01T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
      "2027-06-01T00:00:00.000Z",
    ]);
  });

  it("fires on either day when day-of-month and day-of-week are both restricted", () => {
    // The 13th, or any Friday.
    expect(upcoming("0 0 13 * FRI", "2026-03-01T00:00:00.000Z", 3)).toEqual([
      "2026-03-06T00:00:00.000Z",
      "2026-03-13T00:00:00.000Z",
      "2026-03-20T00:00:00.000Z",
    ]);
    // A star (even stepped) day-of-month leaves only the weekday.
    expect(upcoming("0 0 */1 * FRI", "2026-03-01T00:00:00.000Z")).toEqual(["2026-03-06T00:00:00.000Z"]);
  });

  it("finds February 29 years ahead without walking minute by minute", () => {
    const started = performance.now();
    expect(upcoming("0 12 29 2 *", "2097-03-01T00:00:00.000Z")).toEqual(["2104-02-29T12:00:00.000Z"]);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("expands macros", () => {
    expect(upcoming("@daily", "2026-03-01T10:00:00.000Z")).toEqual(["2026-03-02T00:00:00.000Z"]);
    expect(upcoming("@hourly", "2026-03-01T10:00:00.000Z")).toEqual(["2026-03-01T11:00:00.000Z"]);
    expect(upcoming("@weekly", "2026-03-02T10:00:00.000Z")).toEqual(["2026-03-08T00:00:00.000Z"]);
    expect(upcoming("@monthly", "2026-03-02T10:00:00.000Z")).toEqual(["2026-04-01T00:00:00.000Z"]);
    expect(upcoming("@yearly", "2026-03-02T10:00:00.000Z")).toEqual(["2027-01-01T00:00:00.000Z"]);
  });

  it("crosses month and year ends", () => {
    expect(upcoming("59 23 31 * *", "2026-04-01T00:00:00.000Z")).toEqual(["2026-05-31T23:59:00.000Z"]);
    expect(upcoming("0 0 1 1 *", "2026-12-31T23:59:00.000Z")).toEqual(["2027-01-01T00:00:00.000Z"]);
  });
});

describe("parseCron", () => {
  const refused: [string, string][] = [
    ["", 'it has 0 fields, expected 5'],
    ["* * * *", "it has 4 fields, expected 5"],
    ["60 * * * *", 'the minute field "60" has 60, outside 0-59'],
    ["* 24 * * *", 'the hour field "24" has 24, outside 0-23'],
    ["* * 0 * *", 'the day-of-month field "0" has 0, outside 1-31'],
    ["* * * 13 *", 'the month field "13" has 13, outside 1-12'],
    ["* * * * 8", 'the day-of-week field "8" has 8, outside 0-7'],
    ["* * * * FUN", 'the day-of-week field "FUN" has "FUN", which is not a number or a name like SUN'],
    ["*/0 * * * *", 'the minute field "*/0" has step "0"'],
    ["5-1 * * * *", 'the minute field "5-1" has range "5-1" running backwards'],
    ["1,,2 * * * *", 'the minute field "1,,2" has an empty value'],
    ["1-2-3 * * * *", 'the minute field "1-2-3" has a malformed range "1-2-3"'],
    ["0 0 31 4,6,9,11 *", 'the day-of-month field "31" names no day that the month field "4,6,9,11" has'],
  ];
  for (const [cron, problem] of refused) {
    it(`refuses ${JSON.stringify(cron)}, naming the problem`, () => {
      expect(() => parseCron(cron)).toThrow(AlarmsError);
      expect(() => parseCron(cron)).toThrow(`Invalid cron expression "${cron}": ${problem}`);
    });
  }

  it("accepts a 30th of February when a weekday may stand in", () => {
    // Any Monday in February: 2027-02-01 is the first after March 2026.
    expect(upcoming("0 0 30 2 MON", "2026-03-01T00:00:00.000Z")).toEqual(["2027-02-01T00:00:00.000Z"]);
  });
});
