/**
 * The orchestrator sharded by origin: each origin sends all its jobs to the
 * one instance a hash of its id picks, the instances share the load, and
 * `orchestratorStats()` sums them. A bad shard count fails at the call site.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { $response, orchestratorStats, ProxyFetchError, type ProxyFetchOptions } from "../../lib";
import { orchestratorNames, orchestratorOf } from "../../lib/proxy-fetch/shards";
import { expectCleanAfterEach, freshProbe, inProbe, storedState, track } from "../harness";
import { API, waitForOutcomes } from "./harness";

expectCleanAfterEach();

let counter = 0;
/** Options routing proxyFetch to `shards` orchestrator instances of this test's own, each tracked for the clean check. */
function freshShards(prefix: string, shards: number): ProxyFetchOptions {
  const options = { originBinding: "PROBE", orchestratorName: `shards-${prefix}-${counter++}`, orchestratorShards: shards };
  for (const name of orchestratorNames(options)) track(`FETCH_ORCHESTRATOR/${name}`, () => env.FETCH_ORCHESTRATOR.getByName(name));
  return options;
}

describe("a sharded orchestrator", () => {
  it("sends every job of an origin to the shard its id picks, spreads origins over the shards, and sums their stats", async () => {
    const options = freshShards("spread", 4);
    const origins = Array.from({ length: 12 }, () => freshProbe("shards"));
    const perOrigin = 3;
    const expected = new Map<string, number>();
    await Promise.all(
      origins.map(async ({ stub }) => {
        const originId = await inProbe(stub, (probe) => {
          for (let i = 0; i < perOrigin; i++) probe.lmz.proxyFetch(`${API}/s/${i}`, probe.ctn().record($response, String(i)), options);
          return probe.lmz.id;
        });
        const { name } = orchestratorOf(options, originId);
        expected.set(name, (expected.get(name) ?? 0) + perOrigin);
      }),
    );
    for (const { stub } of origins) expect((await waitForOutcomes(stub, perOrigin)).every((outcome) => outcome.status === 200)).toBe(true);
    // Each instance counted exactly the jobs of the origins that hash to it, and more than one had work.
    const names = orchestratorNames(options);
    const counted = await Promise.all(names.map(async (name) => [name, (await env.FETCH_ORCHESTRATOR.getByName(name).stats()).delivered] as const));
    expect(new Map(counted.filter(([, delivered]) => delivered > 0))).toEqual(expected);
    expect(expected.size).toBeGreaterThan(1);
    expect(await orchestratorStats(env.FETCH_ORCHESTRATOR, options)).toEqual({ pending: 0, inFlight: 0, delivered: origins.length * perOrigin, timedOut: 0, failed: 0 });
  });

  it("names one shard after orchestratorName itself, and several after it with /0, /1, …", () => {
    expect(orchestratorNames({ orchestratorName: "q", orchestratorShards: 1 })).toEqual(["q"]);
    expect(orchestratorNames({ orchestratorName: "q", orchestratorShards: 3 })).toEqual(["q/0", "q/1", "q/2"]);
    expect(orchestratorNames()).toHaveLength(16);
  });

  it("refuses a shard count that is not a whole number from 1 to 1,000, storing nothing", async () => {
    const { stub } = freshProbe("bad-shards");
    for (const orchestratorShards of [0, 1.5, 1_001, Number.NaN]) {
      await inProbe(stub, (probe) => {
        const attempt = () => probe.lmz.proxyFetch(`${API}/a`, probe.ctn().record($response, "x"), { originBinding: "PROBE", orchestratorShards });
        expect(attempt).toThrow(ProxyFetchError);
        expect(attempt).toThrow(`Invalid orchestratorShards ${orchestratorShards}: give a whole number from 1 to 1000.`);
      });
      await expect(orchestratorStats(env.FETCH_ORCHESTRATOR, { orchestratorShards })).rejects.toThrow(/Invalid orchestratorShards/);
    }
    expect(await storedState(stub)).toEqual({ tables: [], schedules: [], outcomes: [], jobs: 0, alarm: null });
  });
});
