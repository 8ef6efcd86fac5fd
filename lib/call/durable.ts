/**
 * Durable calls: `this.lmz.call(..., { durable: true })`. The continuation
 * survives the caller's eviction, crash or redeploy, and runs exactly once:
 * with the result, or with an Error in its place by the deadline.
 *
 * Design (see the "call" docs page for the measured trade-off):
 * - The caller stores the continuation as one pending outcome
 *   (`this.lmz.alarms.expect`: one row, its id the call id, its deadline
 *   `timeout` from now, riding the alarm). The platform holds outgoing
 *   messages until that write is durable (the output gate), so a remote
 *   never runs a call its caller could forget.
 * - It hands the chain to the remote's `__acceptChain` door with a
 *   {@link Delivery} (where the caller is, the outcome's token, the
 *   deadline). The remote acknowledges at once, runs the chain under its
 *   own `waitUntil`, and delivers the outcome through the caller's
 *   `__settle` door, again and again while the caller cannot be reached
 *   (restarting, say), until the deadline. So the caller waits only for the
 *   acknowledgement, and a caller that restarted is woken by the delivery
 *   itself.
 * - The first claim of the row wins: a delivery, a second delivery, the
 *   deadline (a `TimeoutError`) or a hand-over that failed for good (a
 *   `CallError`). Whatever comes later finds no row and changes nothing.
 * - At least once on the remote: a hand-over that fails without a clear
 *   refusal (the remote was reset, overloaded, unreachable) is sent again,
 *   and the remote may have run the first one. A remote method reached by
 *   a durable call reads the call id as `this.lmz.callId` to dedupe.
 * - Nothing re-sends a call whose hand-over was cut short by the caller's
 *   own crash, or whose remote crashed after acknowledging: the deadline
 *   answers those with a `TimeoutError`, once. Re-sending them would need
 *   the remote chain stored too, and a trigger to re-send on restart.
 */
import type { Alarms } from "../alarms";
import { chainFrom, describeChain, type OperationChain } from "../chains";
import type { Delivery, OriginAddress } from "../delivery";
import { describeThrown, sealChainAsync, type ChainEnvelope, type Identity } from "../envelope";
import type { CallerHost } from "./caller";
import { CallError } from "./errors";
import { resolveTarget } from "./resolve";
import type { CallTarget } from "./types";
import { assertFits, describeAddress, sealNow } from "./wire";

/** What a Durable Object lends its `Caller` for durable calls. */
export interface DurableHost {
  /** Where continuations wait: the object's pending outcomes (`this.lmz.alarms`). */
  readonly outcomes: Pick<Alarms, "expect" | "settle">;
  /** Where deliveries reach this object, or `undefined` if no binding in its `env` does. */
  origin(): OriginAddress | undefined;
}

/** The door of a durable call, on `LumenizeBase` and `LumenizeWorker`. */
export interface DurableDoor {
  __acceptChain(envelope: ChainEnvelope, delivery: Delivery): Promise<void>;
}

/** A durable call, validated. */
export interface DurableCall {
  readonly binding: string;
  readonly target: CallTarget;
  readonly remoteChain: OperationChain;
  /** The continuation, its result placeholder bound. */
  readonly continuationChain: OperationChain;
  /** Milliseconds. */
  readonly timeout: number;
}

/** How a caller without storage is named in the refusal. */
const KINDS: Record<Identity["kind"], string> = { "durable-object": "this Durable Object", worker: "a Worker (LumenizeWorker)", "rpc-target": "an RpcTarget (LumenizeRpcTarget)" };

/** The largest time a Date can hold, in epoch milliseconds. */
const MAX_TIME = 8.64e15;
/** Wait before the second hand-over; it doubles up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/**
 * Stores the continuation, starts the hand-over, and returns the call id,
 * all synchronously.
 *
 * @throws {CallError} for a host that cannot store or be reached (not a
 *   Durable Object, or no binding in its `env` reaches it) and for a bad
 *   binding or target; nothing is stored or sent.
 * @throws {DataCloneError} for a remote argument or a continuation argument
 *   that cannot be serialized; nothing is stored or sent.
 */
export function callDurably(host: CallerHost, call: DurableCall): string {
  const durable = host.durable;
  if (!durable) {
    throw new CallError(
      `A durable call stores its continuation in the caller's SQLite, and ${KINDS[host.identity().kind]} has no storage: make durable calls from a LumenizeBase Durable Object, or leave out { durable: true }.`,
    );
  }
  const origin = durable.origin();
  if (!origin) {
    throw new CallError(
      "A durable call's outcome is delivered back through a Durable Object namespace binding that reaches the caller, and this object's env has none: bind its class in wrangler.jsonc (durable_objects.bindings), or leave out { durable: true }.",
    );
  }
  const { address } = resolveTarget(host.env, call.binding, call.target);
  const callId = crypto.randomUUID();
  const meta = { caller: host.identity(), callee: address, callId };
  // Sealed before anything is stored: an argument that cannot be sent leaves nothing behind.
  const envelope = sealNow(call.remoteChain, meta);
  if (envelope) assertFits(envelope, call.remoteChain);
  const deadline = Date.now() + call.timeout;
  if (deadline > MAX_TIME) throw new CallError(`Invalid timeout ${call.timeout}: a durable call's deadline must be a time a Date can hold. Give milliseconds, e.g. { timeout: 60_000 }.`);
  const timeoutMessage = `Durable call ${callId} to ${describeAddress(address)} (${describeChain(call.remoteChain)}) got no result within ${call.timeout} ms.`;
  // The one write. It also refuses a continuation argument that cannot be stored, before anything is sent.
  const { token } = durable.outcomes.expect(chainFrom(call.continuationChain), { id: callId, deadline, timeoutMessage });
  const delivery: Delivery = { origin, token, deadline };
  const handedOver = (async () => {
    let failure: Error | undefined;
    try {
      const sealed = envelope ?? assertFits(await sealChainAsync(call.remoteChain, meta), call.remoteChain);
      failure = await handOver(host.env, call, sealed, delivery);
    } catch (error) {
      // Reading a body failed, or the sealed chain is too big to send.
      failure = error instanceof Error ? error : new CallError(describeThrown(error), { cause: error });
    }
    if (!failure) return;
    await durable.outcomes.settle(callId, token, failure);
    await host.flush?.();
  })();
  host.keepAlive?.(handedOver);
  return callId;
}

/**
 * Sends the chain to the remote's `__acceptChain` until it acknowledges.
 * Resolves `undefined` once it did, or the Error the continuation gets
 * instead: a refusal (the remote's code threw: an old version without the
 * door, a delivery it cannot make), or the last failure once the deadline
 * is near. Never rejects.
 */
async function handOver(env: unknown, call: DurableCall, envelope: ChainEnvelope, delivery: Delivery): Promise<Error | undefined> {
  const where = describeAddress(resolveTarget(env, call.binding, call.target).address);
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      // A fresh stub per attempt: a stub that saw an exception may be broken.
      const { stub } = resolveTarget(env, call.binding, call.target);
      await (stub as unknown as DurableDoor).__acceptChain(envelope, delivery);
      return undefined;
    } catch (error) {
      // Without its final full stop: the message goes on.
      const thrown = describeThrown(error).replace(/\.$/, "");
      if (isRefusal(error)) {
        const old = /does not implement/.test(thrown);
        return new CallError(
          `Durable call ${envelope.callId} to ${where} (${describeChain(call.remoteChain)}) was refused: ${thrown}. ${old ? "The target has no __acceptChain door: it must be a LumenizeBase or LumenizeWorker of a lumenize-do version with durable calls." : "Nothing ran there."}`,
          { cause: error },
        );
      }
      if (Date.now() + backoff >= delivery.deadline) {
        return new CallError(
          `Could not hand durable call ${envelope.callId} to ${where} (${describeChain(call.remoteChain)}) over before its deadline: ${thrown}. The target may have crashed or been reset (it may have run the chain), or be overloaded.`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

/**
 * Whether the remote's own code threw (a refusal, final), rather than the
 * platform failing to get the call there or back (worth sending again).
 */
function isRefusal(error: unknown): boolean {
  const flags = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  return flags.remote === true && !flags.durableObjectReset && !flags.overloaded && !flags.retryable;
}
