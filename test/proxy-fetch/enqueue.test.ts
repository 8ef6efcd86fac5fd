/**
 * The orchestrator's enqueue is all or nothing: a batch it cannot store
 * leaves no job behind (no half-stored batch that is never dispatched and
 * swallows the origin's retry as a duplicate), and a job whose times a Date
 * cannot hold is refused before anything is stored.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { InvalidInputError, type FetchOrchestrator } from "../../lib";
import { expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { API, freshOrchestrator, jobFor, waitForOutcomes } from "./harness";

expectCleanAfterEach();

describe("enqueue at the orchestrator", () => {
  it("stores a batch all or nothing, and takes the whole batch when it comes again", async () => {
    const origin = freshProbe("enqueue-all");
    const orchestrator = freshOrchestrator("enqueue-all");
    const first = await jobFor(origin, orchestrator.name, "first");
    // A 12 MB URL: SQLite refuses it (over 2 MB in production; the local limit is higher), after the first job went in.
    const tooBig = await jobFor(origin, orchestrator.name, "too-big", `${API}/${"x".repeat(12_000_000)}`);
    const second = await jobFor(origin, orchestrator.name, "second");
    await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => {
      expect(() => o.__enqueue([first, tooBig, second])).toThrow(/too big/i);
      expect(o.stats()).toEqual({ pending: 0, inFlight: 0, delivered: 0, timedOut: 0, failed: 0 });
    });
    expect((await storedState(orchestrator.stub)).jobs).toBe(0);
    // The origin sends the batch again, without the job that cannot be stored: every job is taken and delivered.
    await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => o.__enqueue([first, second]));
    const outcomes = await waitForOutcomes(origin.stub, 2);
    expect(outcomes.map((outcome) => [outcome.tag, outcome.status]).sort()).toEqual([
      ["first", 200],
      ["second", 200],
    ]);
    await inProbe(origin.stub, (probe) => probe.lmz.alarms.settle(tooBig.id, tooBig.deliver.token, new Error("not sent")));
  });

  it("refuses a job whose deadline a Date cannot hold, storing nothing", async () => {
    const origin = freshProbe("enqueue-bounds");
    const orchestrator = freshOrchestrator("enqueue-bounds");
    const job = await jobFor(origin, orchestrator.name, "far");
    for (const bad of [{ deadline: 9e15 }, { job: { ...job.job, timeout: Infinity } }, { deliver: { ...job.deliver, deadline: 9e15 } }, { gracePeriod: -1 }, { job: { ...job.job, id: "another" } }]) {
      await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => {
        expect(() => o.__enqueue([{ ...job, ...bad }])).toThrow(InvalidInputError);
      });
    }
    expect(await storedState(orchestrator.stub)).toEqual({ tables: [], schedules: [], outcomes: [], jobs: 0, alarm: null });
    await inProbe(origin.stub, (probe) => probe.lmz.alarms.settle(job.id, job.deliver.token, new Error("not sent")));
  });
});
