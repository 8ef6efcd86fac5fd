/**
 * What an object waits for and what it gave up on, readable back: the
 * pending outcomes (without their tokens), and the dead letters of handlers
 * dropped (schedules after their last attempt, continuations of pending
 * outcomes that threw), bounded, and cleared on request.
 */
import { describe, expect, it } from "vitest";
import { $schedule, MAX_ATTEMPTS, placeholder, type DeadLetter } from "../../lib";
import { DEAD_LETTER_LIMIT } from "../../lib/alarms/store";
import { muteLogs } from "../logs";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";

expectCleanAfterEach();
muteLogs();

const $outcome = placeholder<unknown>();

describe("getPendingOutcomes", () => {
  it("lists each pending outcome by deadline with its continuation, and never its token", async () => {
    const { stub } = freshProbe("pending");
    await inProbe(stub, async (probe) => {
      const alarms = probe.lmz.alarms;
      const later = alarms.expect(probe.ctn().record($outcome, "later"), { id: "later", deadline: Date.now() + 120_000 });
      const sooner = alarms.expect(probe.ctn().record($outcome, "sooner"), { id: "sooner", deadline: Date.now() + 60_000 });
      const listed = alarms.getPendingOutcomes();
      expect(listed).toEqual([
        { id: "sooner", deadline: sooner.deadline, operationChain: [{ type: "get", key: "record" }, { type: "apply", args: [{ placeholder: true }, { value: "sooner" }] }] },
        { id: "later", deadline: later.deadline, operationChain: [{ type: "get", key: "record" }, { type: "apply", args: [{ placeholder: true }, { value: "later" }] }] },
      ]);
      expect(JSON.stringify(listed)).not.toContain(sooner.token);
      await alarms.settle("sooner", sooner.token, "x");
      expect(alarms.getPendingOutcomes().map((outcome) => outcome.id)).toEqual(["later"]);
      await alarms.settle("later", later.token, "x");
      expect(alarms.getPendingOutcomes()).toEqual([]);
    });
  });
});

describe("dead letters", () => {
  it("keep a schedule dropped after its last attempt: its continuation, metadata, attempts and last Error", async () => {
    const { stub } = freshProbe("dead-schedule");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      const made = alarms.schedule(0, probe.ctn().explode($schedule, "boom"), { id: "boom", metadata: { order: 7 } });
      const before = Date.now();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) await alarms.triggerAlarms(1);
      expect(alarms.getSchedule("boom")).toBeUndefined();
      const letters = alarms.getDeadLetters<{ order: number }>();
      expect(letters).toEqual([
        {
          kind: "schedule",
          id: "boom",
          type: "delayed",
          time: expect.any(Number),
          droppedAt: expect.any(Number),
          attempts: MAX_ATTEMPTS,
          operationChain: made.operationChain,
          metadata: { order: 7 },
          error: { name: "Error", message: "continuation boom exploded" },
        } satisfies DeadLetter<{ order: number }>,
      ]);
      expect(letters[0].droppedAt).toBeGreaterThanOrEqual(before);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM __lmz_dead_letters").one().n).toBe(1);
    });
    // Kept apart from what the object waits for.
    expect(await storedState(stub)).toMatchObject(CLEAN);
    await inProbe(stub, (probe) => {
      expect(probe.lmz.alarms.clearDeadLetters()).toBe(1);
      expect(probe.lmz.alarms.getDeadLetters()).toEqual([]);
    });
  });

  it("keep a recurring schedule's dropped run while it goes on to its next occurrence", async () => {
    const { stub } = freshProbe("dead-interval");
    await inProbe(stub, async (probe) => {
      const alarms = probe.lmz.alarms;
      alarms.schedule({ every: 3_600 }, probe.ctn().explode($schedule, "hourly"), { id: "hourly" });
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) await alarms.triggerAlarms(1);
      expect(alarms.getDeadLetters()).toMatchObject([{ kind: "schedule", id: "hourly", type: "interval", attempts: MAX_ATTEMPTS }]);
      expect(alarms.getSchedule("hourly")?.type).toBe("interval");
      alarms.cancelSchedule("hourly");
      alarms.clearDeadLetters();
    });
  });

  // A schedule that crashed its instance on every attempt: failures.test.ts.

  it("keep the continuation of a pending outcome that threw, which is never retried", async () => {
    const { stub } = freshProbe("dead-outcome");
    await inProbe(stub, async (probe) => {
      const alarms = probe.lmz.alarms;
      const { id, token, deadline } = alarms.expect(probe.ctn().explode($outcome, "paid"), { deadline: Date.now() + 60_000 });
      expect(await alarms.settle(id, token, "receipt")).toBe(true);
      expect(alarms.getDeadLetters()).toEqual([
        {
          kind: "outcome",
          id,
          time: deadline,
          droppedAt: expect.any(Number),
          attempts: 1,
          operationChain: [{ type: "get", key: "explode" }, { type: "apply", args: [{ placeholder: true }, { value: "paid" }] }],
          error: { name: "Error", message: "continuation paid exploded" },
        },
      ]);
      alarms.clearDeadLetters();
    });
  });

  it(`keep the last ${DEAD_LETTER_LIMIT}, oldest first`, async () => {
    const { stub } = freshProbe("dead-bound");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      const count = DEAD_LETTER_LIMIT + 5;
      // Rows already at their last attempt are dropped as soon as they are due: the quickest way to many letters.
      for (let i = 0; i < count; i++) alarms.schedule(new Date(Date.now() - count + i), probe.ctn().record($schedule, `r${i}`), { id: `r${i}` });
      state.storage.sql.exec("UPDATE __lmz_alarms SET attempts = ?", MAX_ATTEMPTS);
      await alarms.triggerAlarms();
      const ids = alarms.getDeadLetters().map((letter) => letter.id);
      expect(ids).toEqual(Array.from({ length: DEAD_LETTER_LIMIT }, (_, i) => `r${i + 5}`));
      expect(alarms.clearDeadLetters()).toBe(DEAD_LETTER_LIMIT);
    });
  });
});
