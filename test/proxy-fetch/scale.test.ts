/**
 * 500 proxied fetches at once from one Durable Object, against the test
 * internet with mixed latencies, statuses, timeouts and dropped connections,
 * through both executors: every continuation runs exactly once, with the
 * outcome its request called for.
 */
import { describe, expect, it } from "vitest";
import { $response, type ProxyFetchOptions } from "../../lib";
import type { ProbeDO } from "../fixtures/probe";
import { expectCleanAfterEach, freshProbe, inProbe } from "../harness";
import { API, expectNoMoreThan, freshOrchestrator, type Outcome, waitForOutcomes, startOrchestrated, startSimple, type Start } from "./harness";

expectCleanAfterEach();

const COUNT = 500;
// Generous: 500 fetches at once keep the local test internet busy, and on a loaded 2-core machine a
// quick one took over 2.5 s; the slow ones take far longer.
const TIMEOUT = 5_000;

/** Request `i` and the outcome it must produce. */
function plan(i: number): { url: string; expect: (outcome: Outcome) => void } {
  const delay = (i * 37) % 150;
  // A few dropped connections (each also makes workerd log one line about its outbound stub).
  if (i % 50 === 49) {
    return { url: `${API}/n/${i}?fail=1`, expect: (o) => expect(o.error).toMatchObject({ name: "ProxyFetchError", message: expect.stringContaining(`/n/${i}?fail=1 failed`) }) };
  }
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { url: `${API}/n/${i}?delay=${delay}`, expect: (o) => expect(o).toMatchObject({ status: 200, body: { path: `/n/${i}` } }) };
    case 4:
    case 5:
      return { url: `${API}/n/${i}?delay=${delay}&status=500`, expect: (o) => expect(o.status).toBe(500) };
    case 6:
      return { url: `${API}/n/${i}?status=404`, expect: (o) => expect(o.status).toBe(404) };
    case 7:
    case 8:
      // Slower than the executor's timeout.
      return {
        url: `${API}/n/${i}?delay=${TIMEOUT * 3}`,
        expect: (o) => expect(o.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining(`/n/${i}?delay=`) }),
      };
    default:
      return { url: `${API}/n/${i}?delay=${delay}&status=201`, expect: (o) => expect(o.status).toBe(201) };
  }
}

async function runAll(strategy: Start, prefix: string, options: ProxyFetchOptions): Promise<void> {
  const { stub } = freshProbe(prefix);
  const ids = await inProbe(stub, (probe: ProbeDO) =>
    Array.from({ length: COUNT }, (_, i) =>
      // Both executors, interleaved.
      strategy(probe, plan(i).url, probe.ctn().record($response, String(i)), { ...options, timeout: TIMEOUT, executorKind: i % 2 ? "rpc-target" : "worker" }),
    ),
  );
  expect(new Set(ids).size).toBe(COUNT);
  const outcomes = await waitForOutcomes(stub, COUNT, 25_000);
  const tags = outcomes.map((outcome) => Number(outcome.tag)).sort((a, b) => a - b);
  expect(tags).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  for (const outcome of outcomes) plan(Number(outcome.tag)).expect(outcome);
  // Nothing runs twice, late.
  await expectNoMoreThan(stub, COUNT, 500);
}

describe("500 concurrent proxied fetches from one durable object", () => {
  it("runs every proxyFetchSimple continuation exactly once with the right outcome", async () => {
    await runAll(startSimple, "scale-simple", { originBinding: "PROBE" });
  });

  it("runs every proxyFetch continuation exactly once with the right outcome", async () => {
    const orchestrator = freshOrchestrator("scale");
    await runAll(startOrchestrated, "scale-orchestrated", orchestrator.options);
  });
});
