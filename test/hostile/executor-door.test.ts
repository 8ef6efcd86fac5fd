/**
 * An attacker holding the executor's service binding, or the orchestrator's
 * namespace, sends jobs the origin never made. A job the executor cannot run
 * must be refused when it is handed over (so the sender learns why), never
 * taken and then lost in `waitUntil`, leaving the origin to wait for its
 * deadline.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { InvalidInputError, type FetchOrchestrator } from "../../lib";
import type { FetchJob } from "../../lib/proxy-fetch/types";
import { expectCleanAfterEach, freshProbe, inProbe } from "../harness";
import { freshOrchestrator, jobFor, waitForOutcomes } from "../proxy-fetch/harness";

expectCleanAfterEach();

type ExecutorDoor = { executeFetches(jobs: unknown[]): Promise<(string | null)[]> };
const executor = () => env.FETCH_EXECUTOR as unknown as ExecutorDoor;

/** Hostile `retry` fields: what the origin's own checks refuse, sent straight to the door. */
const badRetries: [string, unknown][] = [
  ["an empty object", {}],
  ["methods that are not an array", { attempts: 3, backoff: 10, methods: 5, statuses: [503] }],
  ["statuses that are not an array", { attempts: 3, backoff: 10, methods: ["GET"], statuses: "503" }],
  ["attempts that are not a number", { attempts: "3", backoff: 10, methods: ["GET"], statuses: [503] }],
  ["a backoff of NaN", { attempts: 3, backoff: Number.NaN, methods: ["GET"], statuses: [503] }],
  ["a negative backoff", { attempts: 3, backoff: -1, methods: ["GET"], statuses: [503] }],
  ["a string", "always"],
  ["methods as a sparse array claiming 2³² − 1 elements", { attempts: 3, backoff: 10, methods: sparse("GET"), statuses: [503] }],
  ["statuses as a sparse array claiming 2³² − 1 elements", { attempts: 3, backoff: 10, methods: ["GET"], statuses: sparse(503) }],
];

/** An array of the largest length, holding `last` at its last index only: a few bytes on the wire. */
function sparse(last: unknown): unknown[] {
  const array: unknown[] = [];
  array[2 ** 32 - 2] = last;
  return array;
}

describe("the executor's door refuses a malformed retry when it is handed over", () => {
  for (const [what, retry] of badRetries) {
    it(`refuses ${what}`, async () => {
      const origin = freshProbe("hostile-retry");
      const { job } = await jobFor(origin, "unused", "retry");
      const hostile = { ...job, orchestrator: undefined, retry } as unknown as FetchJob;
      try {
        const [refusal] = await executor().executeFetches([hostile]);
        expect(refusal).toMatch(/Malformed proxy-fetch job: retry must be/);
      } finally {
        // Nothing was started: the pending outcome is still there for its deadline, answered here by hand.
        await inProbe(origin.stub, (probe) => probe.lmz.alarms.settle(job.id, job.deliver.token, new Error("cleanup")));
      }
    });
  }

  it("still runs a job with a well-formed retry and delivers its Response", async () => {
    const origin = freshProbe("hostile-retry-ok");
    const { job } = await jobFor(origin, "unused", "retry-ok");
    const retry = { attempts: 2, backoff: 10, methods: ["GET"], statuses: [503] };
    const [refusal] = await executor().executeFetches([{ ...job, orchestrator: undefined, retry }]);
    expect(refusal).toBeNull();
    const [outcome] = await waitForOutcomes(origin.stub, 1);
    expect(outcome).toMatchObject({ tag: "retry-ok", status: 200 });
  });
});

describe("the executor's door and hostile timeouts", () => {
  for (const [what, timeout] of [
    ["a timeout no timer can hold", 1e300],
    ["a timeout past a Date", 8.64e15 + 1],
    ["a timeout of a billionth of a millisecond", 1e-9],
  ] as [string, number][]) {
    it(`answers the origin once for ${what}, or refuses the job`, async () => {
      const origin = freshProbe("hostile-timeout");
      const { job } = await jobFor(origin, "unused", "timeout");
      const [refusal] = await executor().executeFetches([{ ...job, orchestrator: undefined, timeout }]);
      if (refusal !== null) {
        expect(refusal).toMatch(/Malformed proxy-fetch job: timeout/);
        await inProbe(origin.stub, (probe) => probe.lmz.alarms.settle(job.id, job.deliver.token, new Error("cleanup")));
        return;
      }
      const outcomes = await waitForOutcomes(origin.stub, 1);
      expect(outcomes).toHaveLength(1);
    });
  }
});

describe("the orchestrator's __enqueue refuses a malformed retry with InvalidInputError", () => {
  it("refuses retry.methods that is not an array, storing nothing", async () => {
    const origin = freshProbe("hostile-enqueue");
    const orchestrator = freshOrchestrator("hostile-enqueue");
    const job = await jobFor(origin, orchestrator.name, "enqueue");
    const hostile = { ...job, job: { ...job.job, retry: { attempts: 3, backoff: 10, methods: 5, statuses: [503] } } };
    try {
      const error = await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => {
        try {
          o.__enqueue([hostile as never]);
          return undefined;
        } catch (thrown) {
          return thrown;
        }
      });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => o.stats())).toMatchObject({ pending: 0, inFlight: 0 });
    } finally {
      await inProbe(origin.stub, (probe) => probe.lmz.alarms.settle(job.id, job.deliver.token, new Error("cleanup")));
    }
  });
});
