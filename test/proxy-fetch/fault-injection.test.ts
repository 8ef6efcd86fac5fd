/**
 * Fault injection: hundreds of proxied fetches at once, through both
 * strategies, while the Durable Objects are aborted mid-flight: all of them
 * (`abortAllDurableObjects`) as the hand-overs start, or several times while
 * fetches run and outcomes arrive, with single objects (the orchestrator,
 * one origin) aborted in between. Every continuation records durably, so the
 * count survives the aborts.
 *
 * Each must run exactly once: the suite counts losses and duplicates and
 * expects none of either. It also counts, and logs, the requests an abort
 * cost their planned outcome (a hand-over cut off answers with a
 * TimeoutError at the deadline); those still get exactly one outcome, an
 * Error, never a wrong Response.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { $response, type FetchOrchestrator, type FetchOrchestratorStats, type ProxyFetchOptions } from "../../lib";
import type { ProbeDO } from "../fixtures/probe";
import { muteLogs } from "../logs";
import { expectCleanAfterEach, freshProbe, sleep } from "../harness";
import { API, freshOrchestrator, startOrchestrated, startSimple, type Start } from "./harness";

expectCleanAfterEach();

// The aborts make every layer log (lost connections, refused late deliveries): expected here.
muteLogs();

const ORIGINS = 4;
const PER_ORIGIN = 50;
const TIMEOUT = 1_500;
const GRACE = 1_000;

/** Request `i`, and the outcome it asks for: mostly quick answers, error statuses, dropped connections and fetches slower than their timeout. */
function planOf(i: number): { url: string; outcome: string } {
  switch (i % 10) {
    case 6:
      return { url: `${API}/f/${i}?status=503`, outcome: "Response 503" };
    case 7:
      return { url: `${API}/f/${i}?fail=1`, outcome: "ProxyFetchError: failed" };
    case 8:
      return { url: `${API}/f/${i}?delay=${TIMEOUT * 3}`, outcome: "TimeoutError: executor timeout" };
    default:
      return { url: `${API}/f/${i}?delay=${(i * 37) % 400}`, outcome: "Response 200" };
  }
}

/** What a recorded delivery says, in the terms of {@link planOf}, or how an abort cost it its planned outcome. */
function outcomeOf(line: string): string {
  if (line.startsWith("Response")) return line;
  if (/^ProxyFetchError: .* failed: /.test(line)) return "ProxyFetchError: failed";
  if (/^ProxyFetchError: .* could not be handed to /.test(line)) return "ProxyFetchError: hand-over failed";
  if (/^TimeoutError: .* within its timeout of /.test(line)) return "TimeoutError: executor timeout";
  if (/^TimeoutError: .* (got no result|got no answer) within timeout \+/.test(line)) return "TimeoutError: deadline";
  return `unexpected: ${line}`;
}

/** Aborts one object; the abort rejects whatever call carried it, which is the point. */
async function abortOne(stub: DurableObjectStub<ProbeDO> | DurableObjectStub<FetchOrchestrator>): Promise<void> {
  await runInDurableObject(stub as DurableObjectStub<ProbeDO>, (_instance, state) => state.abort("fault injection")).catch(() => undefined);
}

interface Tally {
  /** Requests whose continuation never ran. */
  lost: string[];
  /** Requests whose continuation ran more than once. */
  duplicated: string[];
  /** Continuations that got the outcome their request asked for. */
  asPlanned: number;
  /** Continuations that got another outcome than their request asked for (an abort cut off a hand-over, say), by what they got. */
  costs: Record<string, number>;
}

function tally(names: string[], deliveries: string[][], ids: string[][]): Tally {
  const result: Tally = { lost: [], duplicated: [], asPlanned: 0, costs: {} };
  names.forEach((name, o) => {
    const byTag = new Map<string, string[]>();
    for (const line of deliveries[o]) {
      const tag = line.slice(0, line.indexOf(":"));
      byTag.set(tag, [...(byTag.get(tag) ?? []), line.slice(tag.length + 2)]);
    }
    for (let i = 0; i < PER_ORIGIN; i++) {
      const lines = byTag.get(String(i)) ?? [];
      if (lines.length === 0) result.lost.push(`${name}#${i} (${ids[o][i]})`);
      if (lines.length > 1) result.duplicated.push(`${name}#${i}: ${lines.join(" | ")}`);
      for (const line of lines) {
        const outcome = outcomeOf(line);
        if (outcome === planOf(i).outcome) result.asPlanned += 1;
        else result.costs[outcome] = (result.costs[outcome] ?? 0) + 1;
      }
    }
  });
  return result;
}

const strategies: { name: string; start: Start; options: () => { options: ProxyFetchOptions; orchestrator?: string } }[] = [
  { name: "proxyFetchSimple", start: startSimple, options: () => ({ options: { originBinding: "PROBE" } }) },
  {
    name: "proxyFetch",
    start: startOrchestrated,
    options: () => {
      const orchestrator = freshOrchestrator("faults");
      return { options: orchestrator.options, orchestrator: orchestrator.name };
    },
  },
];

/** When the objects are aborted, in ms after the calls returned: "all" aborts every Durable Object, "one" the orchestrator and one origin. */
const phases: { name: string; aborts: [number, "all" | "one"][] }[] = [
  { name: "as the hand-overs start", aborts: [[0, "all"]] },
  {
    name: "while fetches run and outcomes arrive",
    aborts: [
      [100, "one"],
      [300, "all"],
      [700, "all"],
      [TIMEOUT, "all"],
    ],
  },
];

describe.each(strategies)("$name under aborts", ({ name: strategy, start, options: optionsOf }) => {
  it.each(phases)(`runs each of ${ORIGINS * PER_ORIGIN} continuations exactly once, the objects aborted $name`, async ({ name: phase, aborts }) => {
    const { options, orchestrator } = optionsOf();
    const origins = Array.from({ length: ORIGINS }, () => freshProbe(`faults-${strategy}`));
    const names = origins.map((origin) => origin.name);
    const ids = await Promise.all(
      origins.map(({ stub }) =>
        runInDurableObject(stub, (probe: ProbeDO) =>
          Array.from({ length: PER_ORIGIN }, (_, i) =>
            start(probe, planOf(i).url, probe.ctn().recordDurably($response, String(i)), { ...options, timeout: TIMEOUT, gracePeriod: GRACE }),
          ),
        ),
      ),
    );
    const started = Date.now();
    for (const [at, what] of aborts) {
      await sleep(at - (Date.now() - started));
      if (what === "all") {
        await abortAllDurableObjects();
      } else {
        if (orchestrator) await abortOne(env.FETCH_ORCHESTRATOR.getByName(orchestrator));
        await abortOne(env.PROBE.getByName(names[1]));
      }
    }

    // Wait until every origin has an answer for each of its requests (the last deadline is timeout + 2 x grace away).
    const deliveries = await vi.waitFor(
      async () => {
        const all = await Promise.all(names.map((name) => env.PROBE.getByName(name).durableDeliveries()));
        const count = all.reduce((sum, lines) => sum + lines.length, 0);
        if (count < ORIGINS * PER_ORIGIN) throw new Error(`${count} of ${ORIGINS * PER_ORIGIN} delivered`);
        return all;
      },
      { timeout: 20_000, interval: 100 },
    );
    // Long enough for anything late to run a second time, if it could.
    await sleep(1_500);
    const final = await Promise.all(names.map((name) => env.PROBE.getByName(name).durableDeliveries()));
    const result = tally(names, final, ids);
    console.info(`[fault-injection] ${strategy}, aborted ${phase}: ${JSON.stringify({ ...result, lost: result.lost.length, duplicated: result.duplicated.length })}`);
    expect(result.duplicated).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(final.map((lines) => lines.length)).toEqual(deliveries.map(() => PER_ORIGIN));
    // An abort may cost a request its answer (a hand-over or a delivery cut off; on a loaded machine, with every
    // object restarting, a fetch slower than its timeout), never its one outcome: it then gets an Error, never a wrong Response.
    for (const cost of Object.keys(result.costs)) expect(cost).toMatch(/^(TimeoutError|ProxyFetchError): /);

    if (orchestrator) {
      // Every job the orchestrator took ended in exactly one bucket: none is left in progress.
      const stats: FetchOrchestratorStats = await runInDurableObject(env.FETCH_ORCHESTRATOR.getByName(orchestrator), (o: FetchOrchestrator) => o.stats());
      console.info(`[fault-injection] ${strategy}, aborted ${phase}, orchestrator: ${JSON.stringify(stats)}`);
      expect({ pending: stats.pending, inFlight: stats.inFlight }).toEqual({ pending: 0, inFlight: 0 });
      expect(stats.delivered + stats.timedOut + stats.failed).toBeLessThanOrEqual(ORIGINS * PER_ORIGIN);
    }
  });
});
