/**
 * What `__settle` does on a `LumenizeBase`: the door through which an
 * outcome from elsewhere (an executor, an orchestrator, another Durable
 * Object) reaches a pending outcome made with `this.lmz.alarms.expect()`.
 * It only decodes and forwards to `alarms.settle`, which checks the token: it
 * cannot reach a schedule, or a pending outcome whose token it was not given.
 * It never throws, so a caller that retries on a failed RPC retries only
 * when the door could not be reached.
 */
import type { Alarms } from "../alarms";
import { isDenseArray } from "../chains/internal";
import type { Settlement } from "../delivery";
import { isOutcome, openOutcome, type ChainOutcome } from "../envelope";
import { InvalidInputError } from "../errors";

/**
 * What `__settleAll` does: {@link settleThroughDoor} for each settlement,
 * all claimed in one synchronous stretch (so in one storage commit), the
 * continuations then running side by side. Resolves, per settlement, whether
 * it ran its continuation. Never throws.
 */
export async function settleAllThroughDoor(alarms: Alarms, settlements: unknown): Promise<boolean[]> {
  if (!isDenseArray<Partial<Settlement> | null>(settlements)) {
    console.warn("[lumenize] __settleAll refused a malformed delivery: it takes an array of { id, token, outcome }, with no holes.");
    return [];
  }
  return Promise.all(settlements.map((settlement) => settleThroughDoor(alarms, settlement?.id, settlement?.token, settlement?.outcome)));
}

export async function settleThroughDoor(alarms: Alarms, id: unknown, token: unknown, outcome: unknown): Promise<boolean> {
  if (typeof id !== "string" || typeof token !== "string" || !isOutcome(outcome)) {
    console.warn(`[lumenize] __settle refused a malformed delivery: it takes (id, token, outcome), the outcome as sealOutcome() makes it.`);
    return false;
  }
  return alarms.settle(id, token, decode(outcome));
}

function decode(outcome: ChainOutcome): unknown {
  try {
    return openOutcome(outcome);
  } catch (error) {
    // An `ok: false` outcome is its Error; a value that will not decode becomes the Error in its place.
    return error instanceof Error ? error : new InvalidInputError(`The delivered outcome was a non-Error throw: ${String(error)}`, { cause: error });
  }
}
