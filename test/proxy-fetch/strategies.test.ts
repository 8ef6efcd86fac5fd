/**
 * What both strategies must do alike, run once for each: `proxyFetchSimple`
 * (the origin's pending outcome is the only record) and `proxyFetch` (the
 * orchestrator keeps the job). Failures reach the continuation as one Error
 * naming the request; a result and a deadline race, and exactly one wins.
 * What differs between them is in simple.test.ts and orchestrated.test.ts.
 */
// #region late
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $response, type FetchOrchestrator, type ProxyFetchOptions } from "lumenize-do";
import { expectCleanAfterEach, freshProbe, inProbe, outcomeOf, storedState, type StubOf } from "../harness";
import { API, expectNoMoreThan, freshOrchestrator, outcomesOf, waitForOutcomes, startOrchestrated, startSimple, type Start } from "./harness";

expectCleanAfterEach();

/** One strategy, as the tests drive it. */
interface Strategy {
  name: string;
  start: Start;
  /** The options that route a fetch of this test (`prefix`) through this strategy, and its orchestrator if it has one. */
  route(prefix: string): { options: ProxyFetchOptions; orchestrator?: StubOf<"FETCH_ORCHESTRATOR"> };
  /** Whom a request that cannot be read was to be handed to. */
  handedTo: string;
  /** How the TimeoutError of a job whose executor died names the time given. */
  gaveUpAfter: (timeout: number, grace: number) => string;
}

const STRATEGIES: Strategy[] = [
  {
    name: "proxyFetchSimple",
    start: startSimple,
    route: () => ({ options: { originBinding: "PROBE" } }),
    handedTo: 'the executor "FETCH_EXECUTOR"',
    gaveUpAfter: (timeout, grace) => `got no result within timeout + gracePeriod (${timeout} + ${grace} ms)`,
  },
  {
    name: "proxyFetch",
    start: startOrchestrated,
    route: (prefix) => {
      const { stub, options } = freshOrchestrator(prefix);
      return { options, orchestrator: stub };
    },
    handedTo: 'the orchestrator "FETCH_ORCHESTRATOR"',
    gaveUpAfter: (timeout, grace) => `got no result within timeout + gracePeriod (${timeout + grace} ms): the executor died`,
  },
];

describe.each(STRATEGIES)("$name", ({ name, start, route, handedTo, gaveUpAfter }) => {
  // #endregion late
  describe("failures", () => {
    it("delivers the executor's own timeout as a TimeoutError naming the url, long before the grace period ends", async () => {
      const { stub } = freshProbe(`${name}-executor-timeout`);
      const { options } = route("executor-timeout");
      const started = Date.now();
      await inProbe(stub, (probe) => start(probe, `${API}/stuck?delay=3000`, probe.ctn().record($response, "t"), { ...options, timeout: 150, gracePeriod: 10_000 }));
      const [outcome] = await waitForOutcomes(stub, 1);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(outcome.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining(`GET ${API}/stuck?delay=3000 got no complete response within its timeout of 150 ms`) });
    });

    it("delivers a failed connection and a host that does not resolve as ProxyFetchErrors naming the url and cause", async () => {
      const { stub } = freshProbe(`${name}-unreachable`);
      const { options } = route("unreachable");
      await inProbe(stub, (probe) => {
        start(probe, `${API}/x?fail=1`, probe.ctn().record($response, "reset"), options);
        start(probe, "https://no-such-host.invalid/v1", probe.ctn().record($response, "dns"), options);
      });
      const outcomes = await waitForOutcomes(stub, 2);
      const byTag = Object.fromEntries(outcomes.map((outcome) => [outcome.tag, outcome.error]));
      expect(byTag.reset).toMatchObject({ name: "ProxyFetchError", message: expect.stringMatching(new RegExp(`GET ${API}/x\\?fail=1 failed: Error: Network connection lost`)) });
      expect(byTag.dns).toMatchObject({ name: "ProxyFetchError", message: expect.stringContaining("GET https://no-such-host.invalid/v1 failed:") });
    });

    it("delivers a request body that cannot be read as a ProxyFetchError, after the call returned", async () => {
      const { stub } = freshProbe(`${name}-body-fails`);
      const { options, orchestrator } = route("body-fails");
      await inProbe(stub, (probe) => {
        const body = new ReadableStream({ pull: (controller) => controller.error(new Error("the upload source vanished")) });
        const request = new Request(`${API}/upload`, { method: "POST", body, duplex: "half" } as RequestInit);
        // The body is read after the call site returns, so this succeeds...
        start(probe, request, probe.ctn().record($response, "body"), options);
      });
      // ...and the failure arrives through the continuation, without waiting for the timeout.
      const [outcome] = await waitForOutcomes(stub, 1, 2_000);
      expect(outcome.error?.name).toBe("ProxyFetchError");
      expect(outcome.error?.message).toContain(`POST ${API}/upload could not be handed to ${handedTo}: DataCloneError: Reading a Request body failed (Error: the upload source vanished)`);
      // Nothing reached the orchestrator.
      if (orchestrator) expect(await statsOf(orchestrator)).toEqual({ pending: 0, inFlight: 0, delivered: 0, timedOut: 0, failed: 0 });
    });

    it("sends requests whose bodies are too big to travel together in one RPC message, each with its own", async () => {
      const { stub } = freshProbe(`${name}-big-bodies`);
      const { options } = route("big-bodies");
      // Three 9 MiB bodies are 12 MiB each in a job (base64), 36 MiB together: over one RPC message.
      const length = 9 * 1024 * 1024;
      const tags = ["a", "b", "c"];
      await inProbe(stub, (probe) => {
        for (const tag of tags) start(probe, new Request(`${API}/upload`, { method: "POST", body: tag.repeat(length) }), probe.ctn().record($response, tag), options);
      });
      const outcomes = await waitForOutcomes(stub, tags.length, 20_000);
      expect(outcomes.map(({ tag, status, body }) => [tag, status, body?.echo === tag.repeat(length)]).sort()).toEqual(tags.map((tag) => [tag, 200, true]));
    });

    it("delivers a request too big for one RPC message as a ProxyFetchError naming the limit, at once", async () => {
      const { stub } = freshProbe(`${name}-huge-body`);
      const { options, orchestrator } = route("huge-body");
      await inProbe(stub, (probe) => {
        start(probe, new Request(`${API}/upload`, { method: "POST", body: "x".repeat(33 * 1024 * 1024) }), probe.ctn().record($response, "huge"), options);
      });
      const [outcome] = await waitForOutcomes(stub, 1, 5_000);
      expect(outcome.error?.name).toBe("ProxyFetchError");
      expect(outcome.error?.message).toMatch(/POST \S+\/upload could not be handed to .*: it is [\d,]+ bytes in Workers RPC's encoding, over its limit of 33,554,432 bytes \(32 MiB\)/);
      if (orchestrator) expect(await statsOf(orchestrator)).toEqual({ pending: 0, inFlight: 0, delivered: 0, timedOut: 0, failed: 0 });
    });

    it("delivers an executor that throws as a ProxyFetchError at once, naming the url and cause", async () => {
      const { stub } = freshProbe(`${name}-broken`);
      const { options } = route("broken");
      await inProbe(stub, (probe) => start(probe, `${API}/a`, probe.ctn().record($response, "broken"), { ...options, executorBinding: "BROKEN_EXECUTOR", timeout: 5_000 }));
      const [outcome] = await waitForOutcomes(stub, 1, 2_000);
      expect(outcome.error?.name).toBe("ProxyFetchError");
      expect(outcome.error?.message).toContain(`GET ${API}/a could not be handed to the executor "BROKEN_EXECUTOR"`);
      expect(outcome.error?.message).toContain("the executor exploded while accepting the job");
    });

    it("answers a dead executor with a TimeoutError at timeout + grace", async () => {
      const { stub } = freshProbe(`${name}-dead`);
      const { options, orchestrator } = route("dead");
      const started = Date.now();
      await inProbe(stub, (probe) => start(probe, `${API}/a`, probe.ctn().record($response, "dead"), { ...options, executorBinding: "DEAD_EXECUTOR", timeout: 200, gracePeriod: 300 }));
      const [outcome] = await waitForOutcomes(stub, 1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(outcome.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining(`GET ${API}/a ${gaveUpAfter(200, 300)}`) });
      if (orchestrator) expect(await statsOf(orchestrator)).toMatchObject({ timedOut: 1, delivered: 0 });
    });
  });

  describe("exactly once", () => {
    // #region late
    it("answers a lost result with one TimeoutError, and refuses the result arriving late", async () => {
      const { stub } = freshProbe(`${name}-lost`);
      const { options } = route("lost");
      const id = await inProbe(stub, (probe) =>
        start(probe, `${API}/lost`, probe.ctn().record($response, "lost"), { ...options, timeout: 200, gracePeriod: 200, testMode: { simulateDeliveryFailure: true } }),
      );
      // The token the executor was given.
      const [{ token }] = (await storedState(stub)).outcomes;
      const [outcome] = await waitForOutcomes(stub, 1);
      expect(outcome.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining("its result was lost on the way back") });
      // The result turns up after all: the settle door says it was too late, and nothing runs.
      expect(await stub.__settle(id, token, await outcomeOf(new Response("late")))).toBe(false);
      await expectNoMoreThan(stub, 1);
    });
    // #endregion late

    it("runs the result and not the timeout when the result arrives first", async () => {
      const { stub } = freshProbe(`${name}-race-result`);
      const { options, orchestrator } = route("race-result");
      await inProbe(stub, (probe) => start(probe, `${API}/first`, probe.ctn().record($response, "r"), options));
      await waitForOutcomes(stub, 1);
      // Every deadline there is, run now and as late as you like, finds nothing left to time out.
      expect(await inProbe(stub, (probe) => probe.lmz.alarms.triggerAlarms(10))).toEqual([]);
      if (orchestrator) {
        await runInDurableObject(orchestrator, async (o: FetchOrchestrator) => {
          await o.lmz.alarms.triggerAlarms(10);
          await o.sweep();
        });
      }
      expect((await outcomesOf(stub)).map((outcome) => outcome.status)).toEqual([200]);
    });
  });

  describe("executors", () => {
    it("works the same through the rpc-target executor: a result, a failed connection, a timeout", async () => {
      const { stub } = freshProbe(`${name}-rpc-target`);
      const { options } = route("rpc-target");
      const viaTarget = { ...options, executorKind: "rpc-target" } as const;
      await inProbe(stub, (probe) => {
        start(probe, `${API}/via-target`, probe.ctn().record($response, "ok"), viaTarget);
        start(probe, `${API}/x?fail=1`, probe.ctn().record($response, "reset"), viaTarget);
        start(probe, `${API}/via-target?delay=500`, probe.ctn().record($response, "slow"), { ...viaTarget, timeout: 100 });
      });
      const outcomes = await waitForOutcomes(stub, 3);
      const byTag = Object.fromEntries(outcomes.map((outcome) => [outcome.tag, outcome]));
      expect(byTag.ok).toMatchObject({ status: 200, body: { path: "/via-target" } });
      expect(byTag.reset.error?.name).toBe("ProxyFetchError");
      expect(byTag.slow.error?.name).toBe("TimeoutError");
    });

    it("delivers a slow but successful fetch that finishes inside its timeout, once", async () => {
      const { stub } = freshProbe(`${name}-slow-ok`);
      const { options } = route("slow-ok");
      await inProbe(stub, (probe) => start(probe, `${API}/slow?delay=600`, probe.ctn().record($response, "slow"), { ...options, timeout: 1_000, gracePeriod: 2_000 }));
      expect(await waitForOutcomes(stub, 1)).toMatchObject([{ tag: "slow", status: 200 }]);
      await expectNoMoreThan(stub, 1);
    });
  });
  // #region late
});
// #endregion late

function statsOf(stub: StubOf<"FETCH_ORCHESTRATOR">) {
  return runInDurableObject(stub, (orchestrator: FetchOrchestrator) => orchestrator.stats());
}
