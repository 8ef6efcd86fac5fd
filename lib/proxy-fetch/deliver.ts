/**
 * Getting an outcome (a Response or an Error) home: through the origin's
 * `__settle` door, to the pending outcome the origin made at the call site.
 * The door runs the continuation for the first delivery only, so a delivery
 * whose RPC failed can be sent again: repeating it is what makes delivery
 * survive an origin that is restarting, evicted or briefly unreachable.
 */
import { sealOutcome, type ChainOutcome } from "../envelope";
import { retrying } from "./batch";
import { orchestratorStub, originStub } from "./bindings";
import type { Delivery, OrchestratorAddress } from "./types";

/** Wait before the second attempt; it doubles up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;
/** Attempts at telling the orchestrator (idempotent there, so safe to repeat). */
const REPORT_ATTEMPTS = 3;

/** Whether `value` is a well-formed {@link Delivery}, as a job from elsewhere must carry. */
export function isDelivery(value: unknown): value is Delivery {
  const { origin, token, deadline } = (value ?? {}) as Partial<Delivery>;
  return typeof origin?.binding === "string" && typeof origin?.id === "string" && typeof token === "string" && typeof deadline === "number" && Number.isFinite(deadline);
}

/** The outcome in wire form, as the envelope seals every outcome. Never rejects. */
export function sealResult(result: Response | Error): Promise<ChainOutcome> {
  return sealOutcome([], result instanceof Error ? Promise.reject(result) : Promise.resolve(result));
}

/**
 * Delivers `outcome` to the pending outcome `id`, again and again while the
 * origin cannot be reached, until `delivery.deadline` (when the origin
 * answers on its own) or `until`, whichever is sooner. Resolves `true` if
 * this delivery ran the continuation, `false` if the outcome was already
 * decided (the deadline, or another delivery, came first), or `undefined`
 * if the origin could not be reached in time. Never rejects.
 */
export async function deliver(env: unknown, delivery: Delivery, id: string, outcome: ChainOutcome, until = delivery.deadline): Promise<boolean | undefined> {
  const stop = Math.min(until, delivery.deadline);
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      // A fresh stub per attempt: a stub that saw an exception may be broken.
      return await originStub(env, delivery.origin).__settle(id, delivery.token, outcome);
    } catch (error) {
      if (Date.now() + backoff >= stop) {
        console.error(`[lumenize] proxy-fetch ${id}: could not reach the origin (binding "${delivery.origin.binding}") to deliver the outcome; its own deadline will answer.`, error);
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

/**
 * Tells the orchestrator that the executor's outcome of job `id` reached the
 * origin, so it counts the job as delivered and forgets it. Best effort: if
 * this never arrives, the orchestrator finds out at the job's deadline.
 * Never rejects.
 */
export async function reportDelivered(env: unknown, orchestrator: OrchestratorAddress, id: string, token: string): Promise<void> {
  try {
    await retrying(REPORT_ATTEMPTS, FIRST_BACKOFF_MS, () => orchestratorStub(env, orchestrator).__delivered(id, token));
  } catch (error) {
    console.warn(`[lumenize] proxy-fetch ${id}: could not tell the orchestrator "${orchestrator.binding}" the outcome was delivered; it will count it at the job's deadline.`, error);
  }
}
