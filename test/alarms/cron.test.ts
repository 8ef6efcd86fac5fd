/**
 * Cron expressions through croner: next times in UTC checked by hand and
 * against an independent implementation (cron-schedule), time zones checked
 * against hand-computed daylight-saving transitions, and every bad
 * expression or time zone refused at schedule() time with nothing stored.
 */
import { parseCronExpression } from "cron-schedule";
import { describe, expect, it } from "vitest";
import { $schedule, AlarmsError } from "../../lib";
import { checkTimezone, nextCronTime } from "../../lib/alarms/cron";
import { expectCleanAfterEach, freshProbe, inProbe, rowCount } from "../harness";

expectCleanAfterEach();

const at = (iso: string) => Date.parse(iso);
const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
/** The next `count` times after `from`, as ISO strings (UTC). */
function upcoming(cron: string, from: string, count = 1, timezone?: string): (string | undefined)[] {
  const times: (string | undefined)[] = [];
  let after = at(from);
  for (let i = 0; i < count; i++) {
    const next = nextCronTime(cron, timezone, after);
    times.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return times;
}

describe("next times in UTC", () => {
  it("gives the next whole minute strictly after the given time", () => {
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
  });

  it("still reads a/n (from a, every n), which schedules stored before croner may use", () => {
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
    // Any Monday in February stands in for the 30th.
    expect(upcoming("0 0 30 2 MON", "2026-03-01T00:00:00.000Z")).toEqual(["2027-02-01T00:00:00.000Z"]);
  });

  it("finds February 29 years ahead, and croner's extras: the last day of the month, the second Tuesday", () => {
    expect(upcoming("0 12 29 2 *", "2097-03-01T00:00:00.000Z")).toEqual(["2104-02-29T12:00:00.000Z"]);
    expect(upcoming("0 18 L * *", "2026-02-01T00:00:00.000Z", 2)).toEqual(["2026-02-28T18:00:00.000Z", "2026-03-31T18:00:00.000Z"]);
    expect(upcoming("0 9 * * TUE#2", "2026-03-01T00:00:00.000Z", 2)).toEqual(["2026-03-10T09:00:00.000Z", "2026-04-14T09:00:00.000Z"]);
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

  it("has no next time for an expression that never fires", () => {
    expect(nextCronTime("0 0 30 2 *", undefined, at("2026-03-01T00:00:00.000Z"))).toBeUndefined();
  });
});

describe("against an independent implementation (cron-schedule)", () => {
  // Expressions on which both follow the same rules (cron-schedule decides
  // whether a day field is restricted by its values, Vixie cron by a leading
  // star: they differ only for a stepped star in a day field).
  const expressions = [
    "* * * * *",
    "*/7 * * * *",
    "0 */3 * * *",
    "5,35 8-18 * * MON-FRI",
    "0 0 1 * *",
    "30 2 15 * *",
    "0 12 * * 0",
    "0 0 29 2 *",
    "0 0 31 * *",
    "45 23 * 12 *",
    "0 0 13 * 5",
    "10-20/5 4 * JAN,JUL *",
    "0 6 1-7 * 1",
    "@weekly",
    "@monthly",
    "@yearly",
  ];
  // Local time in workerd is UTC, which is what cron-schedule reads in.
  it("runs where local time is UTC", () => expect(new Date(0).getTimezoneOffset()).toBe(0));

  for (const expression of expressions) {
    it(`agrees on the next 20 times of "${expression}" (up to 2040) from 25 starting points`, () => {
      const reference = parseCronExpression(expression);
      // Starting points spread over 2024-2030, at odd seconds and milliseconds.
      for (let k = 0; k < 25; k++) {
        let after = Date.UTC(2024, 0, 1) + k * 9_153_712_345;
        for (let n = 0; n < 20 && after < Date.UTC(2040, 0, 1); n++) {
          const ours = nextCronTime(expression, undefined, after);
          const theirs = reference.getNextDate(new Date(after)).getTime();
          expect(iso(ours), `${expression} after ${iso(after)}`).toBe(iso(theirs));
          after = theirs;
        }
      }
    });
  }
});

describe("in a time zone", () => {
  it("keeps 08:00 local across Europe/Paris's daylight-saving changes", () => {
    // CET (UTC+1) until 2026-03-29 01:00 UTC, CEST (UTC+2) until 2026-10-25 01:00 UTC.
    expect(upcoming("0 8 * * *", "2026-03-27T12:00:00.000Z", 3, "Europe/Paris")).toEqual([
      "2026-03-28T07:00:00.000Z",
      "2026-03-29T06:00:00.000Z",
      "2026-03-30T06:00:00.000Z",
    ]);
    expect(upcoming("0 8 * * *", "2026-10-24T12:00:00.000Z", 2, "Europe/Paris")).toEqual(["2026-10-25T07:00:00.000Z", "2026-10-26T07:00:00.000Z"]);
  });

  it("fires a time the clocks skip once, at the end of the gap, in America/New_York", () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC); 02:30 does not exist that day.
    expect(upcoming("30 2 * * *", "2026-03-07T12:00:00.000Z", 3, "America/New_York")).toEqual([
      "2026-03-08T07:00:00.000Z", // 03:00 EDT
      "2026-03-09T06:30:00.000Z", // 02:30 EDT
      "2026-03-10T06:30:00.000Z",
    ]);
  });

  it("fires a time the clocks repeat once, at its first occurrence, in America/New_York", () => {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30 and 06:30 UTC.
    expect(upcoming("30 1 * * *", "2026-10-31T12:00:00.000Z", 2, "America/New_York")).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });

  it("runs an every-15-minutes expression through both copies of the repeated hour", () => {
    expect(upcoming("*/15 * * * *", "2026-11-01T05:40:00.000Z", 6, "America/New_York")).toEqual([
      "2026-11-01T05:45:00.000Z", // 01:45 EDT
      "2026-11-01T06:00:00.000Z", // 01:00 EST
      "2026-11-01T06:15:00.000Z",
      "2026-11-01T06:30:00.000Z",
      "2026-11-01T06:45:00.000Z",
      "2026-11-01T07:00:00.000Z", // 02:00 EST
    ]);
  });

  it("follows the southern hemisphere (Australia/Sydney) and half-hour zones without daylight saving (Asia/Kolkata)", () => {
    // AEDT (UTC+11) ends 2026-04-05 03:00 local; AEST (UTC+10) after.
    expect(upcoming("0 9 * * *", "2026-04-03T12:00:00.000Z", 3, "Australia/Sydney")).toEqual([
      "2026-04-03T22:00:00.000Z",
      "2026-04-04T23:00:00.000Z",
      "2026-04-05T23:00:00.000Z",
    ]);
    expect(upcoming("0 9 * * *", "2026-03-27T12:00:00.000Z", 2, "Asia/Kolkata")).toEqual(["2026-03-28T03:30:00.000Z", "2026-03-29T03:30:00.000Z"]);
  });

  it("names time zones as the runtime knows them, whatever their case", () => {
    expect(checkTimezone("europe/paris")).toBe("Europe/Paris");
    expect(checkTimezone("UTC")).toBe("UTC");
  });
});

describe("refused at schedule()", () => {
  const refused: [string, RegExp][] = [
    ["", /it has 0 fields, expected 5/],
    ["* * * *", /it has 4 fields, expected 5/],
    ["0 * * * * *", /it has 6 fields, expected 5 \(seconds and years are not supported\)/],
    ["60 * * * *", /the minute field has 60, outside 0-59/],
    ["* 24 * * *", /the hour field has 24, outside 0-23/],
    ["* * 32 * *", /the day-of-month field has 32, outside 1-31/],
    ["* * * 13 *", /the month field has 13, outside 1-12/],
    ["* * * * 8", /the day-of-week field has 8, outside 0-7/],
    ["* * * * FUN", /the day-of-week field "FUN" contains illegal characters/],
    ["0 0 1 FOO *", /the month field "FOO" contains illegal characters/],
    ["*/0 * * * *", /illegal stepping: 0/],
    ["5-1 * * * *", /From value is larger than to value/],
    ["0 0 31 4,6,9,11 *", /never fires; check its day and month fields/],
  ];
  for (const [cron, problem] of refused) {
    it(`refuses ${JSON.stringify(cron)} with an AlarmsError naming the problem, storing nothing`, async () => {
      const { stub } = freshProbe("cron-refused");
      await inProbe(stub, (probe, state) => {
        const attempt = () => probe.lmz.alarms.schedule(cron, probe.ctn().record($schedule, "never"));
        expect(attempt).toThrow(AlarmsError);
        expect(attempt).toThrow(new RegExp(`^(Invalid cron expression "${cron.replace(/[*]/g, "\\*")}": |The cron expression "${cron.replace(/[*]/g, "\\*")}" )`));
        expect(attempt).toThrow(problem);
        expect(rowCount(state.storage.sql)).toBe(0);
      });
    });
  }

  it("refuses an unknown time zone, and a time zone on anything but a cron expression", async () => {
    const { stub } = freshProbe("tz-refused");
    await inProbe(stub, (probe, state) => {
      const chain = probe.ctn().record($schedule, "never");
      expect(() => probe.lmz.alarms.schedule("0 8 * * *", chain, { timezone: "Mars/Olympus_Mons" })).toThrow(
        new AlarmsError('Invalid timezone "Mars/Olympus_Mons": it is not a time zone this runtime knows. Give an IANA name such as "Europe/Paris" or "America/New_York".'),
      );
      expect(() => probe.lmz.alarms.schedule("0 8 * * *", chain, { timezone: "" })).toThrow(/Invalid timezone "": give an IANA time zone name/);
      expect(() => probe.lmz.alarms.schedule(60, chain, { timezone: "Europe/Paris" })).toThrow(/The timezone option applies to a cron expression only/);
      expect(rowCount(state.storage.sql)).toBe(0);
    });
  });
});
