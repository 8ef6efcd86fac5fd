/**
 * Shared setup for the proxy-fetch tests: a fresh origin (ProbeDO) and a
 * fresh orchestrator instance per test, outcomes read back as plain data,
 * and an `afterEach` check that every object a test used ends clean: no
 * schedule rows, no pending outcomes, no job rows, no platform alarm (the
 * pool does not reset alarms between tests).
 */
// #region clean
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect } from "vitest";
import type { FetchOrchestrator, ProxyFetchOptions } from "lumenize-do";
import type { WeatherDO } from "../../examples/proxy-fetch/weather";
import type { ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";
// #endregion clean

export const API = "https://api.example.test";

/** What a continuation received, as the tests compare it. */
export interface Outcome {
  tag: string;
  status?: number;
  body?: { path: string; method: string; echo: string | null; headers: Record<string, string> };
  headers?: Record<string, string>;
  error?: { name: string; message: string };
}

// #region clean
type AnyStub = DurableObjectStub<ProbeDO> | DurableObjectStub<FetchOrchestrator> | DurableObjectStub<WeatherDO>;
const used = new Map<string, () => AnyStub>();
// #endregion clean
let counter = 0;

/** Adds a Durable Object to the clean-after-each check (a stub breaks on abort, so pass a way to reach it). */
export function track(key: string, reach: () => AnyStub): void {
  used.set(key, reach);
}

/** A ProbeDO no other test touches: `record($response, tag)` keeps each delivery. */
export function freshOrigin(prefix: string): { name: string; stub: DurableObjectStub<ProbeDO> } {
  const name = `pf-${prefix}-${counter++}`;
  used.set(`PROBE/${name}`, () => env.PROBE.getByName(name));
  return { name, stub: env.PROBE.getByName(name) };
}

/** An orchestrator instance of this test's own, and the options that route proxyFetch to it. */
export function freshOrchestrator(prefix: string): { name: string; stub: DurableObjectStub<FetchOrchestrator>; options: ProxyFetchOptions } {
  const name = `pf-orchestrator-${prefix}-${counter++}`;
  used.set(`FETCH_ORCHESTRATOR/${name}`, () => env.FETCH_ORCHESTRATOR.getByName(name));
  return { name, stub: env.FETCH_ORCHESTRATOR.getByName(name), options: { originBinding: "PROBE", orchestratorName: name } };
}

/** Runs `work` inside the origin, where proxyFetch must be called. */
export function inOrigin<R>(stub: DurableObjectStub<ProbeDO>, work: (probe: ProbeDO, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(stub, (probe: ProbeDO, state) => work(probe, state));
}

/** Every delivery so far, Responses read (once) into plain data. */
export function outcomesOf(stub: DurableObjectStub<ProbeDO>): Promise<Outcome[]> {
  return inOrigin(stub, async (probe) => {
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
export function waitForOutcomes(stub: DurableObjectStub<ProbeDO>, count: number, timeout = 10_000): Promise<Outcome[]> {
  return waitForAtLeast(() => outcomesOf(stub), count, "delivered", timeout);
}

// #region clean
/** What a DO stores for proxy-fetch and alarms, from inside it. */
export interface StoredState {
  tables: string[];
  schedules: { id: string; time: number }[];
  /** Pending outcomes (the origin's side of a proxied fetch). */
  outcomes: { id: string; token: string; time: number }[];
  jobs: number;
  alarm: number | null;
}

/** Tables and platform alarm of a DO, from inside it. */
export function storedState(stub: AnyStub): Promise<StoredState> {
  return runInDurableObject(stub as DurableObjectStub<ProbeDO>, async (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")
      .toArray()
      .map((row) => row.name);
    const schedules = tables.includes("__lmz_alarms") ? sql.exec<{ id: string; time: number }>("SELECT id, time FROM __lmz_alarms").toArray() : [];
    const outcomes = tables.includes("__lmz_outcomes") ? sql.exec<{ id: string; token: string; time: number }>("SELECT id, token, time FROM __lmz_outcomes").toArray() : [];
    const jobs = tables.includes("__lmz_proxy_fetch_jobs") ? Number(sql.exec("SELECT COUNT(*) AS n FROM __lmz_proxy_fetch_jobs").one().n) : 0;
    return { tables, schedules, outcomes, jobs, alarm: await state.storage.getAlarm() };
  });
}
// #endregion clean

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// #region clean
/** Every object a test used must end with no schedules, no pending outcomes, no jobs and no alarm; cleaned anyway. */
export function expectCleanAfterEach(): void {
  afterEach(async () => {
    const leftovers: string[] = [];
    for (const [key, reach] of used) {
      const state = await storedState(reach());
      if (state.schedules.length > 0 || state.outcomes.length > 0 || state.jobs > 0 || state.alarm !== null) {
        leftovers.push(`${key}: ${state.schedules.length} schedules, ${state.outcomes.length} pending outcomes, ${state.jobs} jobs, alarm ${state.alarm}`);
      }
      await runInDurableObject(reach() as DurableObjectStub<ProbeDO>, async (_instance, ctx) => {
        if (state.schedules.length > 0) ctx.storage.sql.exec("DELETE FROM __lmz_alarms");
        if (state.outcomes.length > 0) ctx.storage.sql.exec("DELETE FROM __lmz_outcomes");
        if (state.jobs > 0) ctx.storage.sql.exec("DELETE FROM __lmz_proxy_fetch_jobs");
        await ctx.storage.deleteAlarm();
      });
    }
    used.clear();
    expect(leftovers, "schedules, jobs or alarms left behind").toEqual([]);
  });
}
// #endregion clean

/** Asserts, within `ms`, that nothing more than `count` deliveries arrive. */
export async function expectNoMoreThan(stub: DurableObjectStub<ProbeDO>, count: number, ms = 300): Promise<void> {
  await sleep(ms);
  expect((await outcomesOf(stub)).length).toBe(count);
}
