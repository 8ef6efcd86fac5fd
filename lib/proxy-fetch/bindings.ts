/**
 * Reaching the other parties of a proxied fetch through `env`: the executor
 * (a service binding), the orchestrator and the origin (Durable Object
 * namespaces). Each lookup either returns a stub or says what to fix.
 */
import { isNamespace, isService } from "../envelope";
import { ProxyFetchError } from "./errors";
import type { ExecutorKind, FetchJob, OrchestratedJob, OrchestratorAddress } from "./types";

/** What an executor exposes over RPC: `FetchExecutor`, or its `FetchExecutorRpcTarget`. */
export interface ExecutorStub {
  executeFetches(jobs: FetchJob[]): Promise<(string | null)[]>;
  executorTarget(): Promise<ExecutorStub & Partial<Disposable>>;
}

/** The orchestrator's plumbing, as the origin and the executor call it. */
export interface OrchestratorStub {
  __enqueue(jobs: OrchestratedJob[]): Promise<void>;
  __delivered(id: string, token: string): Promise<void>;
}

export function bindingsOf(env: unknown): Record<string, unknown> {
  return (env ?? {}) as Record<string, unknown>;
}

/** The executor's service binding. @throws {ProxyFetchError} if there is none. */
export function executorService(env: unknown, binding: string): ExecutorStub {
  const found = bindingsOf(env)[binding];
  if (!isService(found)) {
    const known = Object.keys(bindingsOf(env)).filter((name) => isService(bindingsOf(env)[name]));
    throw new ProxyFetchError(
      `${found === undefined ? "Missing" : "Unusable"} executor binding "${binding}": proxy-fetch needs a service binding to a FetchExecutor entrypoint, e.g. { "binding": "${binding}", "service": "<this worker>", "entrypoint": "FetchExecutor" } under "services" in wrangler.jsonc, or pass options.executorBinding. Service bindings here: ${known.join(", ") || "(none)"}.`,
    );
  }
  return found as unknown as ExecutorStub;
}

/**
 * Hands `jobs` to one executor invocation; resolves once it took them (not
 * when the fetches are done) with, per job, `null` (accepted) or why not: the
 * executor's refusal, or the error that kept the whole batch from arriving.
 * Never rejects.
 */
export async function dispatch(env: unknown, executor: { binding: string; kind: ExecutorKind }, jobs: FetchJob[]): Promise<unknown[]> {
  try {
    const service = executorService(env, executor.binding);
    if (executor.kind === "worker") return await service.executeFetches(jobs);
    const target = await service.executorTarget();
    try {
      return await target.executeFetches(jobs);
    } finally {
      // Releases the entrypoint's invocation; the work it took on stays alive under its waitUntil.
      target[Symbol.dispose]?.();
    }
  } catch (cause) {
    return jobs.map(() => cause);
  }
}

/** A Durable Object namespace binding. @throws {ProxyFetchError} if `binding` is not one. */
export function namespace(env: unknown, binding: string, role: string, fix: string): DurableObjectNamespace {
  const found = bindingsOf(env)[binding];
  if (!isNamespace(found)) {
    throw new ProxyFetchError(`${found === undefined ? "Missing" : "Unusable"} ${role} binding "${binding}": it must be a Durable Object namespace. ${fix}`);
  }
  return found;
}

/**
 * The orchestrator instance, as the origin enqueues at it and the executor reports to it.
 * @throws {ProxyFetchError} if its binding is not a Durable Object namespace.
 */
export function orchestratorStub(env: unknown, orchestrator: OrchestratorAddress): OrchestratorStub {
  const fix = `this.lmz.proxyFetch() needs FetchOrchestrator bound as a Durable Object (SQLite) namespace: export it from your Worker and add { "name": "${orchestrator.binding}", "class_name": "FetchOrchestrator" } to wrangler.jsonc, or use this.lmz.proxyFetchSimple(), which needs none.`;
  return namespace(env, orchestrator.binding, "orchestrator", fix).getByName(orchestrator.name) as unknown as OrchestratorStub;
}
