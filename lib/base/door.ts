/**
 * The door: what `__executeChain` does on every base class. It opens the
 * envelope, learns how the caller addressed this host, asks the host's
 * `onBeforeCall` hook, runs the chain against the host under the security
 * rules, and seals the outcome. It never throws: every failure, including a
 * malformed envelope and a refusal by the hook, comes back as an Error in the
 * outcome, where the caller's continuation will see it.
 */
import { OperationChainError, describeChain, type OperationChain } from "../chains";
import { enteredMembers, executeValidChainEagerly } from "../chains/internal";
import { withCaller } from "../context";
import { describeThrown } from "../errors/internal";
import { isOldVersionEnvelope, openEnvelope, sealOldVersionFailure, sealOutcome, sealThrown, type Address, type ChainOutcome, type Identity, type OpenedEnvelope } from "../envelope";

/**
 * What a host's `onBeforeCall` hook learns about a chain that arrived
 * through its `__executeChain` door, before anything runs.
 *
 * The hook runs for every chain through the door: `call` and `callRaw`
 * from another Lumenize host, and anyone else who calls the door. It does
 * not run for plain Workers RPC to a public method, for deliveries through
 * the `__settle` door (proxy-fetch outcomes, which prove themselves with a
 * token), nor for this host's own continuations and schedule handlers.
 *
 * Throw (or reject) to refuse: nothing of the chain runs, and the caller gets
 * an `OperationChainError` naming the hook, with what you threw as its
 * `cause`. Inside the hook, `this.lmz.caller` is `caller`.
 *
 * @see https://lumenize.dev/docs/guides/security
 */
export interface IncomingCall {
  /**
   * Who the envelope says sent the chain. Shape-checked, not verified:
   * anything that can reach the door (code holding a binding to this host,
   * or a stub of it) can claim any identity. Use it to keep honest mistakes
   * out, not to stop a hostile holder of the binding.
   */
  readonly caller: Identity | undefined;
  /**
   * Every member of this host the chain enters, each once, in order: its
   * first step and the first step of every chain nested in its arguments
   * (they run against this host too). Check these, not only the first.
   */
  readonly members: readonly string[];
  /** The whole chain, validated. */
  readonly chain: OperationChain;
  /**
   * The sender's call id, if it gave one. For a durable call it is also the
   * method's idempotency key (`this.lmz.callId`); otherwise it is for logs.
   */
  readonly callId: string | undefined;
  /**
   * Whether this is a durable call (`call(..., { durable: true })`), which
   * may deliver the same chain more than once: refuse durable calls to a
   * method that cannot dedupe on `this.lmz.callId`.
   */
  readonly durable: boolean;
}

/** A host that may have an `onBeforeCall` hook (declared `protected` on the base classes). */
interface Guarded {
  onBeforeCall?(call: IncomingCall): void | Promise<void>;
}

/**
 * Opens `envelope` and runs its chain against `host`: the door
 * `__executeChain`. Answers synchronously when the chain's method does.
 */
export function openDoor(host: object, envelope: unknown, learn?: (address: Address) => void): ChainOutcome | Promise<ChainOutcome> {
  let opened: OpenedEnvelope;
  try {
    opened = openEnvelope(envelope);
  } catch (error) {
    // Answer a sender of another version in the form it reads, so that it sees which versions met.
    if (isOldVersionEnvelope(envelope)) return sealOldVersionFailure(error as Error) as ChainOutcome;
    return sealThrown([], error);
  }
  return enterDoor(host, opened, learn);
}

/**
 * Runs the chain of an opened envelope against `host`, for {@link openDoor}
 * and, with `durable`, for durable calls' `__acceptChains` (the chain then
 * sees its call id as `this.lmz.callId`).
 */
export function enterDoor(host: object, opened: OpenedEnvelope, learn?: (address: Address) => void, durable = false): ChainOutcome | Promise<ChainOutcome> {
  const { chain, caller, callee, callId } = opened;
  const options = { caller, callId: durable ? callId : undefined };
  let result: unknown;
  try {
    if (callee && learn) learn(callee);
    const { onBeforeCall } = host as Guarded;
    // The chain was validated as the envelope was opened.
    if (typeof onBeforeCall !== "function") result = executeValidChainEagerly(chain, host, options);
    else result = admit(host as Guarded, { caller, members: enteredMembers(chain), chain, callId, durable }).then(() => executeValidChainEagerly(chain, host, options));
  } catch (error) {
    return sealThrown(chain, error);
  }
  return sealOutcome(chain, result);
}

async function admit(host: Guarded, call: IncomingCall): Promise<void> {
  try {
    await withCaller(call.caller, () => host.onBeforeCall?.(call));
  } catch (refusal) {
    throw new OperationChainError(
      `Operation chain ${describeChain(call.chain)} refused by ${host.constructor.name}.onBeforeCall() before it ran: ${describeThrown(refusal)}`,
      { cause: refusal },
    );
  }
}
