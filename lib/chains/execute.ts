/**
 * Runs an operation chain against a target: the one place chains execute, for
 * `__executeChain`, alarms, call and proxy-fetch alike.
 */
import { withCaller } from "../context";
import type { Identity } from "../envelope";
import { describeChain } from "./describe";
import { OperationChainError } from "./errors";
import { assertNotPlatformHandle, assertNotTarget, assertReachable } from "./security";
import type { ApplyOperation, Argument, OperationChain } from "./types";
import { assertOperationChain } from "./validate";

/** Options for {@link executeOperationChain}. */
export interface ExecuteOptions {
  /**
   * The value substituted for every result placeholder in the chain's
   * arguments (a remote result, a fired schedule, a Response, or an Error).
   * Leave it out when the chain has no placeholder.
   */
  result?: unknown;
  /**
   * Who sent the chain, as its envelope claims: `this.lmz.caller` for the
   * chain's whole run. Leave it out for a host's own chains (continuations,
   * schedule handlers): they then see `undefined`, whatever context started
   * the work they answer.
   */
  caller?: Identity;
  /**
   * The id of the durable call that sent the chain: `this.lmz.callId` for
   * the chain's whole run, so the method can dedupe a repeated delivery.
   * Leave it out for anything else.
   */
  callId?: string;
}

/**
 * Runs `chain` against `target`: reads members and calls methods in order,
 * awaiting promises between steps, and returns the final value.
 *
 * The chain is validated first, and each step is checked by the security
 * rules (the key it reads, and the value it produces: never a platform
 * handle), so a chain from anywhere reaches only `target`'s public methods
 * and data.
 *
 * @throws {OperationChainError} if the chain is malformed, refused, or names a
 *   member the target does not have. Errors thrown by the target's own methods
 *   propagate unchanged.
 * @see https://lumenize.dev/docs/foundations/continuations
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async on purpose: what the eager form throws synchronously becomes a rejection
export async function executeOperationChain(chain: unknown, target: object, options: ExecuteOptions = {}): Promise<unknown> {
  return executeOperationChainEagerly(chain, target, options);
}

/**
 * {@link executeOperationChainEagerly} for a chain that already passed
 * `assertOperationChain` (the door validates as it opens an envelope): every
 * step is still checked by the security rules.
 */
export function executeValidChainEagerly(chain: OperationChain, target: object, options: ExecuteOptions = {}): unknown {
  return withCaller(options.caller, () => run(chain, target, options, 0, target), options.callId);
}

/**
 * @internal {@link executeOperationChain}, without a promise where none is
 * needed: runs synchronously up to the first step (or nested chain) that
 * gives a promise, and returns the final value, or from that step on a
 * native `Promise` of it. Throws synchronously what a synchronous step
 * throws. For
 * loops that run thousands of chains in a row (alarms), where the promise
 * hops of a synchronous handler cost more than the handler.
 */
export function executeOperationChainEagerly(chain: unknown, target: object, options: ExecuteOptions = {}): unknown {
  assertOperationChain(chain);
  return executeValidChainEagerly(chain, target, options);
}

/** Runs `chain` from `step`, `current` being what the step before gave. Synchronous until a step gives a promise. */
function run(chain: OperationChain, target: object, options: ExecuteOptions, step: number, current: unknown): unknown {
  let receiver: unknown;
  for (; step < chain.length; step++) {
    const operation = chain[step];
    if (operation.type === "get") {
      if (current === null || current === undefined) {
        throw new OperationChainError(
          `Operation chain failed at step ${step}: cannot read "${operation.key}" of ${current} (${describeChain(chain, step)} returned ${current}).`,
        );
      }
      const object = Object(current) as Record<string, unknown>;
      assertReachable(object, operation.key, step, chain);
      receiver = current;
      current = object[operation.key];
    } else {
      if (typeof current !== "function") {
        throw new OperationChainError(
          `Operation chain failed at step ${step}: ${describeChain(chain, step)} is not a function, so it cannot be called.`,
        );
      }
      const args: unknown[] = [];
      for (let index = 0; index < operation.args.length; index++) {
        const value = resolveArgument(operation.args[index], step, chain, target, options);
        if (isThenable(value)) return resumeCall(chain, target, options, step, { method: current as (...args: unknown[]) => unknown, receiver, args, index, value });
        args.push(value);
      }
      current = Reflect.apply(current, receiver, args);
      receiver = undefined;
    }
    if (isThenable(current)) return resumeAfter(chain, target, options, step, current);
    assertNotPlatformHandle(current, step, chain);
    assertNotTarget(current, target, step, chain);
  }
  return current;
}

/** Step `step` gave a promise: awaits it, then runs the rest of the chain. */
async function resumeAfter(chain: OperationChain, target: object, options: ExecuteOptions, step: number, pending: unknown): Promise<unknown> {
  const value = await pending;
  assertNotPlatformHandle(value, step, chain);
  assertNotTarget(value, target, step, chain);
  return run(chain, target, options, step + 1, value);
}

/** A call step whose argument `index` (a nested chain) gave a promise: resolves it and the arguments after it in order, then makes the call. */
async function resumeCall(
  chain: OperationChain,
  target: object,
  options: ExecuteOptions,
  step: number,
  call: { method: (...args: unknown[]) => unknown; receiver: unknown; args: unknown[]; index: number; value: unknown },
): Promise<unknown> {
  const { args } = call;
  args.push(await call.value);
  const operation = chain[step] as ApplyOperation;
  for (let index = call.index + 1; index < operation.args.length; index++) args.push(await resolveArgument(operation.args[index], step, chain, target, options));
  return resumeAfter(chain, target, options, step, Reflect.apply(call.method, call.receiver, args));
}

function resolveArgument(
  arg: Argument,
  step: number,
  chain: OperationChain,
  target: object,
  options: ExecuteOptions,
): unknown {
  if ("value" in arg) return arg.value;
  if ("chain" in arg) return run(arg.chain, target, options, 0, target);
  if (!("result" in options)) {
    throw new OperationChainError(
      `Operation chain failed at step ${step} (${describeChain(chain, step + 1)}): it has a result placeholder but no result was given to substitute.`,
    );
  }
  return options.result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * Runs a continuation with its delivered `result` and never rejects: a
 * continuation that throws is the host's own bug, so it is reported (with
 * `label`, e.g. the call id) and not retried. Resolves `true` if it ran
 * cleanly.
 */
export async function runContinuation(chain: OperationChain, host: object, result: unknown, label: string): Promise<boolean> {
  try {
    await executeOperationChain(chain, host, { result });
    return true;
  } catch (error) {
    console.error(`[lumenize] ${label}: continuation ${describeChain(chain)} threw`, error);
    return false;
  }
}
