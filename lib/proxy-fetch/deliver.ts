/**
 * Getting an outcome (a Response or an Error) home. Two routes, one per
 * strategy:
 * - to a schedule: `__settleSchedule` on the origin, which runs the
 *   continuation stored in the origin's own timeout alarm. Safe to repeat:
 *   only the first delivery (or the alarm) wins.
 * - with the continuation: whoever won the job at the orchestrator puts the
 *   outcome in the continuation's placeholders and runs it on the origin
 *   through `__executeChain`, the door every Lumenize call uses.
 */
import { assertOperationChain, describeChain, type Argument, type OperationChain, type Operation } from "../chains";
import { sealChainAsync, sealOutcome, type ChainOutcome, type Identity } from "../envelope";
import { parse, postprocess } from "../structured-clone";
import { retrying } from "./batch";
import { calleeOf, originStub } from "./bindings";
import type { OriginAddress } from "./types";

/** Attempts at reaching the origin's `__settleSchedule` (the door is idempotent, so repeating is safe). */
const SETTLE_ATTEMPTS = 3;
const SETTLE_BACKOFF_MS = 100;

/** The outcome in wire form, as the envelope seals every outcome. Never rejects. */
export function sealResult(result: Response | Error): Promise<ChainOutcome> {
  return sealOutcome([], result instanceof Error ? Promise.reject(result) : Promise.resolve(result));
}

/**
 * Delivers to the origin's schedule; resolves with whether this delivery ran
 * the continuation (`false`: the timeout or an earlier delivery did).
 * @throws the last RPC error if the origin could not be reached at all.
 */
export function deliverToSchedule(env: unknown, origin: OriginAddress, scheduleId: string, outcome: ChainOutcome): Promise<boolean> {
  // A fresh stub per attempt: a stub that saw an exception may be broken.
  return retrying(SETTLE_ATTEMPTS, SETTLE_BACKOFF_MS, () => originStub(env, origin).__settleSchedule(scheduleId, outcome));
}

/**
 * Runs `continuation` (as stored: `stringifySync` text) on the origin with
 * `result` in its placeholders. Once: `__executeChain` is not idempotent, so
 * a failed attempt is reported, not repeated. Never rejects.
 */
export async function deliverContinuation(
  env: unknown,
  origin: OriginAddress,
  continuation: string,
  result: unknown,
  meta: { caller?: Identity; requestId: string },
): Promise<void> {
  let chain: OperationChain | undefined;
  try {
    const decoded = parse(continuation);
    assertOperationChain(decoded);
    chain = decoded;
    const envelope = await sealChainAsync(fillPlaceholders(chain, result), { caller: meta.caller, callee: calleeOf(origin), callId: meta.requestId });
    const outcome = await originStub(env, origin).__executeChain(envelope);
    if (!outcome.ok) {
      console.error(`[lumenize] proxy-fetch ${meta.requestId}: continuation ${describeChain(chain)} threw`, postprocess(outcome.error));
    }
  } catch (error) {
    console.error(
      `[lumenize] proxy-fetch ${meta.requestId}: could not run ${chain ? describeChain(chain) : "the continuation"} on its Durable Object (binding "${origin.binding}"); it did not run and will not be retried.`,
      error,
    );
  }
}

/** The chain with every result placeholder (nested chains included) replaced by `result`. */
export function fillPlaceholders(chain: OperationChain, result: unknown): OperationChain {
  return chain.map((operation): Operation => {
    if (operation.type !== "apply") return operation;
    const args = operation.args.map((arg): Argument => {
      if ("placeholder" in arg) return { value: result };
      if ("chain" in arg) return { chain: fillPlaceholders(arg.chain, result) };
      return arg;
    });
    return { type: "apply", args };
  });
}
