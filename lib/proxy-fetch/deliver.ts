/**
 * The ends of a delivery that are proxy-fetch's own: the outcome (a Response
 * or an Error) in wire form, and telling the orchestrator it arrived. The
 * delivery itself, through the origin's `__settle` door with retries, is
 * `deliver` in lib/delivery.
 */
import { sealOutcome, sealThrown, type ChainOutcome } from "../envelope";
import { retrying } from "./batch";
import { orchestratorStub } from "./bindings";
import type { OrchestratorAddress } from "./types";

/** Wait before the second attempt at telling the orchestrator. */
const FIRST_BACKOFF_MS = 100;
/** Attempts at telling the orchestrator (idempotent there, so safe to repeat). */
const REPORT_ATTEMPTS = 3;

/** The outcome in wire form, as the envelope seals every outcome. Never rejects. */
export async function sealResult(result: Response | Error): Promise<ChainOutcome> {
  return result instanceof Error ? sealThrown([], result) : sealOutcome([], result);
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
