/**
 * Once a proxied fetch's outcome is decided (a result, a hand-over failure
 * or the timeout), nothing else runs its continuation, and a continuation
 * that throws is logged and never run again, on every path, for both
 * strategies.
 */
import { describe, expect, it } from "vitest";
import { $response, RETRY_BASE_DELAY_MS, type ProxyFetchOptions } from "../../lib";
import type { ProbeDO } from "../fixtures/probe";
import { muteLogs } from "../logs";
import { expectCleanAfterEach, freshProbe, inProbe, outcomeOf, storedState } from "../harness";
import { API, expectNoMoreThan, freshOrchestrator, waitForOutcomes, startOrchestrated, startSimple } from "./harness";

expectCleanAfterEach();

const logs = muteLogs();

const strategies = [
  { name: "proxyFetchSimple", start: startSimple, options: (): ProxyFetchOptions => ({ originBinding: "PROBE" }) },
  { name: "proxyFetch", start: startOrchestrated, options: (): ProxyFetchOptions => freshOrchestrator("once").options },
];

describe.each(strategies)("$name: a continuation that throws", ({ start, options }) => {
  it("runs once on the timeout path: not retried, and a late result does not run it again", async () => {
    const { stub } = freshProbe("throws-timeout");
    const id = await inProbe(stub, (probe: ProbeDO) =>
      start(probe, `${API}/lost`, probe.ctn().explode($response, "timeout"), { ...options(), timeout: 100, gracePeriod: 100, testMode: { simulateDeliveryFailure: true } }),
    );
    const [{ token }] = (await storedState(stub)).outcomes;
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.error?.name).toBe("TimeoutError");
    // The result turns up late, through the door the executor uses.
    expect(await stub.__settle(id, token, await outcomeOf(new Response("late")))).toBe(false);
    // Longer than a throwing schedule's first retry would wait.
    await expectNoMoreThan(stub, 1, RETRY_BASE_DELAY_MS + 500);
    expect(logs.errors.mock.calls.some(([message]) => String(message).includes(`continuation explode(…) threw`))).toBe(true);
  });

  it("runs once on the result path", async () => {
    const { stub } = freshProbe("throws-result");
    await inProbe(stub, (probe: ProbeDO) => start(probe, `${API}/ok`, probe.ctn().explode($response, "result"), { ...options(), timeout: 500, gracePeriod: 200 }));
    expect((await waitForOutcomes(stub, 1))[0].status).toBe(200);
    // Past the deadline: it did not fire after the result.
    await expectNoMoreThan(stub, 1, 1_500);
  });

  it("runs once on the hand-over failure path", async () => {
    const { stub } = freshProbe("throws-handover");
    await inProbe(stub, (probe: ProbeDO) =>
      start(probe, `${API}/ok`, probe.ctn().explode($response, "refused"), { ...options(), executorBinding: "BROKEN_EXECUTOR", timeout: 500, gracePeriod: 200 }),
    );
    expect((await waitForOutcomes(stub, 1))[0].error?.name).toBe("ProxyFetchError");
    await expectNoMoreThan(stub, 1, 1_500);
  });
});
