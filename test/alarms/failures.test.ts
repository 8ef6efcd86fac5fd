/**
 * A throwing handler: retried on its own with backoff, then dropped with its
 * Error logged; the others run exactly once; alarm() itself never throws.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { $schedule, MAX_ATTEMPTS, RETRY_BASE_DELAY_MS, type Schedule } from "../../lib";
import { CLAIMS_SQL } from "../../lib/alarms/store";
import { muteLogs } from "../logs";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { tagsOf, waitForTags } from "./harness";

expectCleanAfterEach();

const logs = muteLogs();

describe("a throwing handler", () => {
  it("is retried on its own with backoff while the others run exactly once, then dropped with its Error logged", async () => {
    const { stub } = freshProbe("retry");
    await inProbe(stub, (probe, state) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "a"), { id: "a" });
      probe.lmz.alarms.schedule(61, probe.ctn().explode($schedule, "b"), { id: "b" });
      probe.lmz.alarms.schedule(62, probe.ctn().record($schedule, "c"), { id: "c" });
      state.storage.sql.exec("UPDATE __lmz_alarms SET time = time - 120000");
    });
    // alarm() resolves although a handler threw, so the platform does not re-run a and c.
    const firstRun = { before: Date.now(), after: 0 };
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    firstRun.after = Date.now();
    expect(await tagsOf(stub)).toEqual(["a", "b", "c"]);

    // Each failed run re-arms just this row, 1 s, 2 s, 4 s, 8 s after the failure.
    const retries = await inProbe(stub, async (probe, state) => {
      const seen: { time: number; run: { before: number; after: number } }[] = [];
      let run = firstRun;
      for (let attempt = 2; attempt <= MAX_ATTEMPTS + 1; attempt++) {
        const retry = probe.lmz.alarms.getSchedule("b");
        if (!retry) break;
        // The platform alarm waits for just this row's retry.
        expect(await state.storage.getAlarm()).toBe(retry.time);
        seen.push({ time: retry.time, run });
        run = { before: Date.now(), after: 0 };
        await probe.lmz.alarms.triggerAlarms(1);
        run.after = Date.now();
      }
      return seen;
    });
    expect(retries).toHaveLength(MAX_ATTEMPTS - 1);
    [1, 2, 4, 8].forEach((factor, index) => {
      const { time, run } = retries[index];
      expect(time).toBeGreaterThanOrEqual(run.before + factor * RETRY_BASE_DELAY_MS);
      expect(time).toBeLessThanOrEqual(run.after + factor * RETRY_BASE_DELAY_MS);
    });

    expect(await tagsOf(stub)).toEqual(["a", "b", "c", "b", "b", "b", "b"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
    expect(logs.warnings).toHaveBeenCalledTimes(MAX_ATTEMPTS - 1);
    expect(logs.errors).toHaveBeenCalledTimes(1);
    const [message, error] = logs.errors.mock.calls[0];
    expect(message).toBe('[lumenize] alarms: schedule "b" (explode(…)) failed 5 times and was dropped.');
    expect(error).toMatchObject({ message: "continuation b exploded" });
  });

  it("is retried by the real platform alarm a second later", async () => {
    const { stub } = freshProbe("retry-real");
    await inProbe(stub, (probe) => {
      probe.lmz.alarms.schedule(0, probe.ctn().explode($schedule, "boom"), { id: "boom" });
    });
    expect(await waitForTags(stub, 2, 5_000)).toEqual(["boom", "boom"]);
    // Each run received its Schedule: the retry was timed a second after the first run.
    const times = await inProbe(stub, (probe) => probe.deliveries().map((delivery) => (delivery.result as Schedule).time));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(RETRY_BASE_DELAY_MS);
    await inProbe(stub, (probe) => expect(probe.lmz.alarms.cancelSchedule("boom")?.id).toBe("boom"));
  });

  it("in a cron schedule moves on to the next occurrence after the last attempt", async () => {
    const { stub } = freshProbe("retry-cron");
    await inProbe(stub, async (probe, state) => {
      const made = probe.lmz.alarms.schedule("0 0 * * *", probe.ctn().explode($schedule, "nightly"), { id: "nightly" });
      // Last midnight's occurrence is due now; the next one is `made.time`.
      state.storage.sql.exec("UPDATE __lmz_alarms SET time = time - 86400000");
      expect(await probe.lmz.alarms.triggerAlarms()).toHaveLength(1);
      // The retries (1 s, 2 s, 4 s, 8 s later), run now.
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) await probe.lmz.alarms.triggerAlarms(1);
      const next = probe.lmz.alarms.getSchedule("nightly");
      expect(next?.time).toBe(made.time);
      expect(probe.deliveries()).toHaveLength(MAX_ATTEMPTS);
      expect(logs.errors.mock.calls[0][0]).toMatch(/failed 5 times and was dropped until its next occurrence/);
      probe.lmz.alarms.cancelSchedule("nightly");
    });
  });

  it("that crashed its instance on every attempt is dropped, not run again, and kept as a dead letter", async () => {
    const { name, stub: before } = freshProbe("crash-loop");
    await inProbe(before, (probe, state) => {
      probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "poison"), { id: "poison" });
      // Claimed and crashed four times already; the crash below makes it five.
      state.storage.sql.exec("UPDATE __lmz_alarms SET attempts = ?", MAX_ATTEMPTS - 1);
      state.storage.sql.exec(CLAIMS_SQL.createTable);
      state.storage.sql.exec(CLAIMS_SQL.set, 1, JSON.stringify(["poison"]));
    });
    await abortAllDurableObjects();
    const stub = env.PROBE.getByName(name);
    await vi.waitFor(async () => expect(await storedState(stub)).toMatchObject(CLEAN), { timeout: 5_000, interval: 20 });
    expect(await tagsOf(stub)).toEqual([]);
    expect(logs.errors.mock.calls.some(([message]) => /schedule "poison" .* was dropped/.test(String(message)))).toBe(true);
    const letters = await inProbe(stub, (probe) => probe.lmz.alarms.getDeadLetters());
    expect(letters).toMatchObject([
      { kind: "schedule", id: "poison", attempts: MAX_ATTEMPTS, error: { name: "AlarmsError", message: `Schedule "poison" was running each of the ${MAX_ATTEMPTS} times its Durable Object crashed.` } },
    ]);
    await inProbe(stub, (probe) => probe.lmz.alarms.clearDeadLetters());
  });
});
