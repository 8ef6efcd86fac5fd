/**
 * What the proxy-fetch tests add to the shared harness (test/harness.ts): an
 * orchestrator instance per test, and the origin's outcomes read back as
 * plain data.
 */
import { expect } from "vitest";
import type { ProxyFetchOptions } from "lumenize-do";
import { fresh, inProbe, sleep, type StubOf } from "../harness";
import { waitForAtLeast } from "../wait";

export const API = "https://api.example.test";

/** What a continuation received, as the tests compare it. */
export interface Outcome {
  tag: string;
  status?: number;
  body?: { path: string; method: string; echo: string | null; headers: Record<string, string> };
  headers?: Record<string, string>;
  error?: { name: string; message: string };
}

/** An orchestrator instance of this test's own, and the options that route proxyFetch to it. */
export function freshOrchestrator(prefix: string): { name: string; stub: StubOf<"FETCH_ORCHESTRATOR">; options: ProxyFetchOptions } {
  const { name, stub } = fresh("FETCH_ORCHESTRATOR", `orchestrator-${prefix}`);
  return { name, stub, options: { originBinding: "PROBE", orchestratorName: name } };
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

/** Waits until the origin has `count` deliveries, then returns them. */
export function waitForOutcomes(stub: StubOf<"PROBE">, count: number, timeout = 10_000): Promise<Outcome[]> {
  return waitForAtLeast(() => outcomesOf(stub), count, "delivered", timeout);
}

/** Asserts, within `ms`, that nothing more than `count` deliveries arrive. */
export async function expectNoMoreThan(stub: StubOf<"PROBE">, count: number, ms = 300): Promise<void> {
  await sleep(ms);
  expect((await outcomesOf(stub)).length).toBe(count);
}
