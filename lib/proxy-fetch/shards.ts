/**
 * Which orchestrator instance an origin uses, and the stats of all of them.
 *
 * The instance is chosen by origin: a hash of the origin's id, so every job
 * of one origin goes to one instance. That keeps what must stay together
 * together (a job's enqueue, the origin's retries of it, the executor's
 * report and the timeout all reach the instance the job names, which stores
 * it once and counts it in one bucket) and keeps the batching (an origin's
 * hand-overs of one synchronous stretch are one enqueue). The other choice,
 * by target host, would send everyone's calls to one popular API to a single
 * instance: the hotspot sharding is meant to remove.
 */
import { ProxyFetchError } from "./errors";
import type { FetchOrchestrator } from "./orchestrator";
import {
  DEFAULT_ORCHESTRATOR_BINDING,
  DEFAULT_ORCHESTRATOR_NAME,
  DEFAULT_ORCHESTRATOR_SHARDS,
  MAX_ORCHESTRATOR_SHARDS,
  type FetchOrchestratorStats,
  type OrchestratorAddress,
  type OrchestratorOptions,
} from "./types";

/**
 * The orchestrator instance the origin with id `originId` uses.
 * @throws {ProxyFetchError} for an `orchestratorShards` that is not a whole number in range.
 */
export function orchestratorOf(options: OrchestratorOptions, originId: string): OrchestratorAddress {
  const names = orchestratorNames(options);
  return { binding: options.orchestratorBinding ?? DEFAULT_ORCHESTRATOR_BINDING, name: names[fnv1a(originId) % names.length] };
}

/**
 * The names of every orchestrator instance `options` describe: the name
 * itself for one shard, `"<name>/<i>"` for more.
 * @throws {ProxyFetchError} for an `orchestratorShards` that is not a whole number in range.
 */
export function orchestratorNames(options: OrchestratorOptions = {}): string[] {
  const name = options.orchestratorName ?? DEFAULT_ORCHESTRATOR_NAME;
  const shards = options.orchestratorShards ?? DEFAULT_ORCHESTRATOR_SHARDS;
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_ORCHESTRATOR_SHARDS) {
    throw new ProxyFetchError(`Invalid orchestratorShards ${String(shards)}: give a whole number from 1 to ${MAX_ORCHESTRATOR_SHARDS}.`);
  }
  return shards === 1 ? [name] : Array.from({ length: shards }, (_, i) => `${name}/${i}`);
}

/**
 * The stats of every orchestrator instance `proxyFetch` uses with
 * `options`, summed: each job in flight or ended is counted once, in the
 * instance its origin uses. Pass the same options as to `proxyFetch`
 * (binding aside: pass its namespace). Asks every instance, one RPC each.
 *
 * @example
 * ```ts
 * const stats = await orchestratorStats(env.FETCH_ORCHESTRATOR);
 * ```
 * @throws {ProxyFetchError} for an `orchestratorShards` that is not a whole number in range.
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export async function orchestratorStats(
  namespace: DurableObjectNamespace<FetchOrchestrator>,
  options: Omit<OrchestratorOptions, "orchestratorBinding"> = {},
): Promise<FetchOrchestratorStats> {
  const all = await Promise.all(orchestratorNames(options).map((name) => namespace.getByName(name).stats()));
  const total = { pending: 0, inFlight: 0, delivered: 0, timedOut: 0, failed: 0 };
  for (const stats of all) for (const key of Object.keys(total) as (keyof FetchOrchestratorStats)[]) total[key] += stats[key];
  return total;
}

/** FNV-1a, 32 bits: a fixed, even spread of ids over shards. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
