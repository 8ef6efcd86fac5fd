/**
 * `testMode.simulateDeliveryFailure` is the origin's to turn on, and only
 * the origin's. The executor and the orchestrator are reached by anything
 * holding their bindings, so a job arriving from elsewhere may carry any
 * field; a `testMode` in it must change nothing. What the option does
 * instead: the origin hands the job over with a token that opens nothing, so
 * the executor fetches and delivers, the origin's door refuses the delivery,
 * and the timeout answers.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { $response } from "../../lib";
import { muteLogs } from "../logs";
import { expectCleanAfterEach, freshProbe, inProbe } from "../harness";
import { API, freshOrchestrator, jobFor, startOrchestrated, startSimple, waitForOutcomes } from "./harness";

expectCleanAfterEach();
const logs = muteLogs();

describe("testMode from elsewhere", () => {
  it("is not honoured by the executor: a job carrying it is fetched and delivered", async () => {
    const origin = freshProbe("forged-executor");
    const { job } = await jobFor(origin, "none", "forged");
    const { orchestrator: _none, ...alone } = job;
    expect(await env.FETCH_EXECUTOR.executeFetches([{ ...alone, testMode: { simulateDeliveryFailure: true } } as never])).toEqual([null]);
    const [outcome] = await waitForOutcomes(origin.stub, 1);
    expect(outcome).toMatchObject({ tag: "forged", status: 200, body: { path: "/forged" } });
  });

  it("is not honoured through the orchestrator: an enqueued job carrying it is fetched and delivered", async () => {
    const origin = freshProbe("forged-orchestrator");
    const orchestrator = freshOrchestrator("forged");
    const enqueued = await jobFor(origin, orchestrator.name, "forged");
    const testMode = { simulateDeliveryFailure: true };
    await orchestrator.stub.__enqueue([{ ...enqueued, testMode, job: { ...enqueued.job, testMode } } as never]);
    const [outcome] = await waitForOutcomes(origin.stub, 1);
    expect(outcome).toMatchObject({ tag: "forged", status: 200 });
    await vi.waitFor(async () => expect((await orchestrator.stub.stats()).delivered).toBe(1), { timeout: 5_000 });
  });
});

describe.each([
  { name: "proxyFetchSimple", start: startSimple, options: () => ({ originBinding: "PROBE" }) },
  { name: "proxyFetch", start: startOrchestrated, options: () => freshOrchestrator("test-mode").options },
])("$name with testMode.simulateDeliveryFailure set by the origin", ({ start, options }) => {
  it("fetches, has the delivery refused at the origin's door, and answers with the TimeoutError", async () => {
    const origin = freshProbe("test-mode");
    await inProbe(origin.stub, (probe) =>
      start(probe, `${API}/dropped`, probe.ctn().record($response, "dropped"), { ...options(), timeout: 300, gracePeriod: 300, testMode: { simulateDeliveryFailure: true } }),
    );
    const [outcome] = await waitForOutcomes(origin.stub, 1);
    expect(outcome).toMatchObject({ tag: "dropped", error: { name: "TimeoutError", message: expect.stringContaining(`GET ${API}/dropped got no `) } });
    // The executor did fetch and deliver; the origin's door turned the delivery away.
    expect(logs.warnings.mock.calls.some(([message]) => /refused to settle pending outcome .*: wrong token/.test(String(message)))).toBe(true);
  });
});
