/**
 * Runs the code of examples/alarms/standup.ts, which the "Alarms" page
 * shows: a weekday reminder at 09:30 in the team's time zone stays at 09:30
 * there across daylight-saving changes, while its UTC time moves.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StandupDO } from "../../examples/alarms/standup";
import { AlarmsError } from "../../lib";
import { expectCleanAfterEach, fresh } from "../harness";

expectCleanAfterEach();

/** A UTC time as New York's wall clock shows it: weekday and hh:mm. */
const newYork = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

describe("the alarms page example: StandupDO", () => {
  it("reminds at 09:30 New York time on weekdays for 40 weeks, across both daylight-saving changes", async () => {
    const { stub } = fresh("STANDUP", "standup");
    const next = await stub.startStandups("America/New_York");
    expect(newYork.format(new Date(next))).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? 09:30$/);
    // Run the next 200 occurrences now, each re-arming the one after.
    await runInDurableObject(stub, async (instance: StandupDO) => {
      for (let i = 0; i < 200; i++) await instance.lmz.alarms.triggerAlarms(1);
    });
    const reminded = await stub.reminded();
    expect(reminded).toHaveLength(200);
    expect(reminded[0]).toBe(next);
    for (const at of reminded) expect(newYork.format(new Date(at))).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? 09:30$/);
    // 13:30 UTC in summer (EDT), 14:30 UTC in winter (EST): both happened.
    expect(new Set(reminded.map((at) => at.slice(11, 16)))).toEqual(new Set(["13:30", "14:30"]));
    await runInDurableObject(stub, (instance: StandupDO) => instance.lmz.alarms.cancelSchedule("standup"));
  });

  it("refuses a time zone that does not exist with an AlarmsError, storing nothing", async () => {
    const { stub } = fresh("STANDUP", "standup-bad");
    await runInDurableObject(stub, (instance: StandupDO) => {
      const refused = 'Invalid timezone "America/Springfield": it is not a time zone this runtime knows. Give an IANA name such as "Europe/Paris" or "America/New_York".';
      expect(() => instance.startStandups("America/Springfield")).toThrow(new AlarmsError(refused));
      expect(instance.lmz.alarms.getSchedules()).toEqual([]);
    });
  });
});
