/**
 * What `__settleSchedule` does on a `LumenizeBase`: deliver, from elsewhere,
 * the value a pending schedule's continuation should run with, instead of
 * waiting for the schedule to fire. Whoever cancels the schedule first (this
 * delivery or the firing alarm) runs the continuation; the other is a no-op.
 * Generic plumbing: proxy-fetch's simple strategy is its first user.
 */
import type { Alarms } from "../alarms";
import { runContinuation } from "../chains";
import { openOutcome, type ChainOutcome } from "../envelope";
import { InvalidInputError } from "../errors";

export async function settleSchedule(host: object, alarms: Alarms, scheduleId: unknown, outcome: unknown): Promise<boolean> {
  if (typeof scheduleId !== "string" || scheduleId === "") {
    throw new InvalidInputError(`__settleSchedule needs a schedule id (a non-empty string), got ${typeof scheduleId}.`);
  }
  // Decode before cancelling: a malformed delivery must not consume the schedule.
  const result = decode(outcome);
  const schedule = alarms.cancelSchedule(scheduleId);
  if (!schedule) {
    console.warn(`[lumenize] schedule "${scheduleId}" was already settled (fired, delivered or cancelled): this late or duplicate delivery was dropped.`);
    return false;
  }
  // The schedule is gone, so nothing retries it; a throwing continuation is reported.
  await runContinuation(schedule.operationChain, host, result, `schedule "${scheduleId}"`);
  return true;
}

function decode(outcome: unknown): unknown {
  if (typeof outcome !== "object" || outcome === null || typeof (outcome as { ok?: unknown }).ok !== "boolean") {
    throw new InvalidInputError("__settleSchedule needs a ChainOutcome ({ ok: true, value } or { ok: false, error }), as sealOutcome() makes.");
  }
  try {
    return openOutcome(outcome as ChainOutcome);
  } catch (error) {
    // An `ok: false` outcome is its Error; a value that will not decode becomes the Error in its place.
    return error instanceof Error ? error : new InvalidInputError(`The delivered outcome was a non-Error throw: ${String(error)}`, { cause: error });
  }
}
