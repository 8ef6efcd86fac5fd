/**
 * `call` and `callRaw`: run a chain on another Lumenize host over plain
 * Workers RPC and bring its result home.
 *
 * Design (see the "call" docs page for the measured trade-off): one round
 * trip. The caller sends the chain through the target's `__executeChain`
 * door (or, with the other calls of the same synchronous stretch to the same
 * target, `__executeChains`: see `outbox.ts`) and awaits the reply in the
 * background; when it arrives, the caller runs its own continuation. Nothing
 * is queued or written on the happy path, and awaiting RPC does not hold the
 * caller's input gate: other requests keep flowing while calls are in flight.
 */
import { bindResult, describeChain, getOperationChain, hasPlaceholder, runContinuation, type AnyChain, type ChainBrand, type OperationChain } from "../chains";
import { openOutcome, sealChainAsync, type Address, type ChainEnvelope, type ChainOutcome, type Identity } from "../envelope";
import { TimeoutError } from "../errors";
import { describeThrown } from "../errors/internal";
import { callDurably, type DurableHost } from "./durable";
import { CallError } from "./errors";
import { Deadlines } from "./deadlines";
import { send as sendTogether, type Receiver } from "./outbox";
import { TurnStubs } from "./stubs";
import { assertFits, describeAddress, sealNow } from "./wire";
import { DEFAULT_CALL_TIMEOUT, type CallOptions, type CallRawOptions, type CallTarget } from "./types";

/** What a host lends its `Caller`. */
export interface CallerHost {
  /** The bindings (`env`). */
  readonly env: unknown;
  /** Where continuations run: the host itself. */
  readonly self: object;
  /** Who is calling, sent along so the target can call back. */
  identity(): Identity;
  /** Keeps the invocation alive until `promise` settles (`ctx.waitUntil`). */
  keepAlive?(promise: Promise<unknown>): void;
  /**
   * Resolves once what a continuation wrote is durable (a Durable Object's
   * `ctx.storage.sync()`). A continuation runs off an RPC reply, outside any
   * request whose end would commit its writes, so without this an eviction
   * right after the reply could drop them.
   */
  flush?(): Promise<void>;
  /** What durable calls need: storage for pending outcomes, and an address. Only a Durable Object has it. */
  readonly durable?: DurableHost;
  /** The `timeout` of a call that gives none; default {@link DEFAULT_CALL_TIMEOUT}. */
  readonly defaultTimeout?: number;
}

export class Caller {
  readonly #host: CallerHost;
  readonly #stubs = new TurnStubs();
  readonly #deadlines = new Deadlines();
  /** The deliveries of this synchronous stretch's calls, kept alive together at its end. */
  #kept: Promise<unknown>[] | undefined;

  constructor(host: CallerHost) {
    this.#host = host;
  }

  /**
   * Runs `remote` on the target and, later, `continuation` on this host with
   * the result, or with an Error in its place. Returns the call id at once.
   *
   * With `options.durable`, the continuation is stored and survives this
   * host's restarts (see `callDurably`).
   *
   * @throws {CallError} synchronously for an unknown or uncallable binding, a
   *   missing target, or a continuation without a result placeholder; nothing
   *   is sent.
   * @throws {DataCloneError} synchronously for an argument that cannot be serialized.
   */
  call<R>(binding: string, target: CallTarget, remote: ChainBrand<R>, continuation: AnyChain, options: CallOptions = {}): string {
    const remoteChain = chainOf(remote, "remote chain");
    const continuationChain = bindResult(chainOf(continuation, "continuation"), remoteChain);
    if (!hasPlaceholder(continuationChain)) {
      throw new CallError(
        `The continuation ${describeChain(continuationChain)} has no result placeholder: pass the remote chain itself among its arguments, e.g. this.ctn().onResult(remote).`,
      );
    }
    if (options.durable !== undefined && typeof options.durable !== "boolean") {
      throw new CallError(`Invalid durable option ${String(options.durable)}: give true or false.`);
    }
    if (options.durable) return callDurably(this.#host, { binding, target, remoteChain, continuationChain, timeout: this.#timeoutOf(options) });
    const callId = crypto.randomUUID();
    // Every rejection of #dispatch is an Error: a CallError, a TimeoutError or what the remote threw.
    const deliver = async (value: unknown): Promise<void> => {
      await runContinuation(continuationChain, this.#host.self, value, `call ${callId}`);
      await this.#host.flush?.();
    };
    const delivered = this.#dispatch(binding, target, remoteChain, callId, options).then(deliver, deliver);
    this.#keepAlive(delivered);
    return callId;
  }

  /**
   * Keeps the host alive until `work` settles: one `keepAlive` (a
   * `ctx.waitUntil`) for all the calls of a synchronous stretch rather than
   * one per call, which measured 2-6% of a call's CPU time at 1,000 and
   * 5,000 concurrent calls.
   */
  #keepAlive(work: Promise<unknown>): void {
    const keepAlive = this.#host.keepAlive;
    if (!keepAlive) return;
    if (this.#kept) {
      this.#kept.push(work);
      return;
    }
    const kept = (this.#kept = [work]);
    queueMicrotask(() => {
      this.#kept = undefined;
      keepAlive(Promise.allSettled(kept));
    });
  }

  /**
   * Runs `remote` on the target and resolves with its result, or rejects with
   * the Error it threw (or a `TimeoutError`).
   *
   * @throws {CallError} synchronously for an unknown or uncallable binding or
   *   a missing target, or `durable` among the options; nothing is sent.
   */
  callRaw<R>(binding: string, target: CallTarget, remote: ChainBrand<R>, options: CallRawOptions = {}): Promise<R> {
    if ((options as CallOptions).durable) {
      throw new CallError("callRaw() cannot be durable: a Promise does not survive the caller's restart. Use call() with a continuation and { durable: true }.");
    }
    return this.#dispatch(binding, target, chainOf(remote, "remote chain"), crypto.randomUUID(), options) as Promise<R>;
  }

  /** The `timeout` option, or this host's default. @throws {CallError} for one that is not a positive, finite number of milliseconds. */
  #timeoutOf(options: CallRawOptions): number {
    const timeout = options.timeout ?? this.#host.defaultTimeout ?? DEFAULT_CALL_TIMEOUT;
    if (!(timeout > 0) || !Number.isFinite(timeout)) {
      throw new CallError(`Invalid timeout ${timeout}: give a positive, finite number of milliseconds.`);
    }
    return timeout;
  }

  /**
   * Validates and sends synchronously; the returned promise settles once,
   * with the result or the remote's Error, or with a TimeoutError when the
   * deadline comes first.
   */
  #dispatch(binding: string, target: CallTarget, chain: OperationChain, callId: string, options: CallRawOptions): Promise<unknown> {
    const timeout = this.#timeoutOf(options);
    const { stub, address } = this.#stubs.resolve(this.#host.env, binding, target);
    const meta = { caller: this.#host.identity(), callee: address, callId };
    const envelope = sealNow(chain, meta);
    if (envelope) assertFits(envelope, chain);
    const deadlines = this.#deadlines;
    // One promise and one waiter per call, whichever of reply and deadline comes first settling it.
    return new Promise((resolve, reject) => {
      const waiter = deadlines.add(timeout, () => reject(new TimeoutError(`Call ${callId} to ${describeAddress(address)} (${describeChain(chain)}) got no result within ${timeout} ms.`)));
      const settled = (): boolean => {
        if (deadlines.settle(waiter)) return true;
        console.warn(`[lumenize] call ${callId}: a result arrived after the timeout and was dropped.`);
        return false;
      };
      const receiver: Receiver = {
        outcome(outcome) {
          if (!settled()) return;
          try {
            resolve(openReply(outcome, address, chain));
          } catch (error) {
            reject(error);
          }
        },
        failure(error) {
          if (!settled()) return;
          reject(
            new CallError(
              `Could not complete the call to ${describeAddress(address)} over RPC: ${describeThrown(error)}. The target may have crashed or been reset mid-call (what it did before stands), be overloaded, or not be a LumenizeBase/LumenizeWorker of this lumenize-do version.`,
              { cause: error },
            ),
          );
        },
        get waiting() {
          return !waiter.settled;
        },
      };
      const send = (sealed: ChainEnvelope): void => sendTogether(this, stub, sealed, receiver);
      if (envelope) return send(envelope);
      // A body that cannot be read, or a chain too big once read, fails the call like a refusal at the call site.
      sealChainAsync(chain, meta)
        .then((sealed) => send(assertFits(sealed, chain)))
        .catch((error: unknown) => {
          // Failing after the deadline is not a result arriving late: nothing to log.
          if (deadlines.settle(waiter)) reject(error);
        });
    });
  }
}

/**
 * The result in `outcome`, or throws its Error. call and callRaw both end
 * here, so both get the same Error for a thrown non-Error.
 */
function openReply(outcome: ChainOutcome, address: Address, chain: OperationChain): unknown {
  try {
    return openOutcome(outcome);
  } catch (thrown) {
    if (thrown instanceof Error) throw thrown;
    throw new CallError(
      `Call to ${describeAddress(address)} (${describeChain(chain)}) threw a non-Error value: ${describeThrown(thrown)}. Throw an Error to give it a name and a stack.`,
      { cause: thrown },
    );
  }
}

function chainOf(value: unknown, role: string): OperationChain {
  const chain = getOperationChain(value);
  if (!chain) throw new CallError(`The ${role} is not an operation chain: build it with this.ctn().`);
  return chain;
}
