/**
 * What the proxy-fetch tests add to the shared harness (test/harness.ts): an
 * orchestrator instance per test, and the origin's outcomes read back as
 * plain data.
 */
import { expect } from "vitest";
import { $response, preprocess, type AnyChain, type ProxyFetchInput, type ProxyFetchOptions } from "lumenize-do";
import type { OrchestratedJob } from "../../lib/proxy-fetch/types";
import type { ProbeDO } from "../fixtures/probe";
import { fresh, inProbe, sleep, type StubOf } from "../harness";
import { waitForAtLeast } from "../wait";

export const API = "https://api.example.test";

/** Starts a proxied fetch from `probe` with one strategy: how the tests that run over both strategies name them. */
export type Start = (probe: ProbeDO, request: ProxyFetchInput, continuation: AnyChain, options: ProxyFetchOptions) => string;
export const startSimple: Start = (probe, ...args) => probe.lmz.proxyFetchSimple(...args);
export const startOrchestrated: Start = (probe, ...args) => probe.lmz.proxyFetch(...args);

/** What a continuation received, as the tests compare it. */
export interface Outcome {
  tag: string;
  status?: number;
  body?: { path: string; method: string; echo: string | null; headers: Record<string, string> };
  headers?: Record<string, string>;
  error?: { name: string; message: string };
}

/** An orchestrator instance of this test's own (one shard, so named `name` itself), and the options that route proxyFetch to it. */
export function freshOrchestrator(prefix: string): { name: string; stub: StubOf<"FETCH_ORCHESTRATOR">; options: ProxyFetchOptions } {
  const { name, stub } = fresh("FETCH_ORCHESTRATOR", `orchestrator-${prefix}`);
  return { name, stub, options: { originBinding: "PROBE", orchestratorName: name, orchestratorShards: 1 } };
}

/** Every delivery so far, Responses read (once) into plain data. */
export function outcomesOf(stub: StubOf<"PROBE">): Promise<Outcome[]> {
  return inProbe(stub, async (probe) => {
    const outcomes: Outcome[] = [];
    for (const { tag, result } of probe.deliveries()) {
      if (result instanceof Response) {
        const text = result.bodyUsed ? "null" : await result.clone().text();
        outcomes.push({ tag, status: result.status, headers: Object.fromEntries(result.headers), body: JSON.parse(text || "null") });
      } else {
        const error = result as Error;
        outcomes.push({ tag, error: { name: error.name, message: error.message } });
      }
    }
    return outcomes;
  });
}

/** A job as proxyFetch would enqueue it, delivering to a pending outcome made on `origin` now. */
export async function jobFor(origin: { name: string; stub: StubOf<"PROBE"> }, orchestratorName: string, tag: string, url = `${API}/${tag}`): Promise<OrchestratedJob> {
  const { id, token, deadline } = await inProbe(origin.stub, (probe) =>
    probe.lmz.alarms.expect(probe.ctn().record($response, tag), { deadline: Date.now() + 20_000 }),
  );
  const originId = await inProbe(origin.stub, (probe) => probe.lmz.id);
  const deliver = { origin: { binding: "PROBE", name: origin.name, id: originId }, token, deadline };
  return {
    v: 3,
    id,
    method: "GET",
    url,
    gracePeriod: 5_000,
    deadline: deadline - 5_000,
    deliver,
    executor: { binding: "FETCH_EXECUTOR", kind: "worker" },
    job: {
      v: 2,
      id,
      request: await preprocess(new Request(`${API}/${tag}`)),
      timeout: 5_000,
      deliver,
      orchestrator: { binding: "FETCH_ORCHESTRATOR", name: orchestratorName },
    },
  };
}

/** Waits until the origin has `count` deliveries, then returns them. */
export function waitForOutcomes(stub: StubOf<"PROBE">, count: number, timeout = 10_000): Promise<Outcome[]> {
  return waitForAtLeast(() => outcomesOf(stub), count, "delivered", timeout);
}

/** Asserts, within `ms`, that nothing more than `count` deliveries arrive. */
export async function expectNoMoreThan(stub: StubOf<"PROBE">, count: number, ms = 300): Promise<void> {
  await sleep(ms);
  expect((await outcomesOf(stub)).length).toBe(count);
}
