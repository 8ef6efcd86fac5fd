/**
 * The recorder behind `ctn()`: a Proxy that turns property reads and calls
 * into an {@link OperationChain}.
 */
import type { AnyChain, Argument, Chain, Continuation, Operation, OperationChain, ResultPlaceholder } from "./types";

/** Where a chain proxy keeps its recorded operations. Not enumerable, not data. */
const OPERATIONS = Symbol("lumenize.operations");

/** The one runtime marker behind every result placeholder. */
class Placeholder {
  toString(): string {
    return "[result placeholder]";
  }
}
const PLACEHOLDER = Object.freeze(new Placeholder());

/**
 * Starts recording an operation chain against a target of type `T`.
 *
 * @example
 * ```ts
 * const chain = ctn<UserDO>().getUser("u1").profile.update({ name: "Ada" });
 * ```
 * @see https://lumenize.dev/docs/foundations/continuations
 */
export function ctn<T>(): Chain<T>;
/** Starts recording a continuation: a chain of `T`'s methods to run later with a result. */
export function ctn<T>(mode: "continuation"): Continuation<T>;
export function ctn(): unknown {
  return chainProxy([]);
}

/** What a chain proxy wraps: a function (so the `apply` trap works) holding the operations recorded so far. */
interface Recorded {
  [OPERATIONS]: OperationChain;
}

/**
 * One handler for every chain proxy, the operations living on each proxy's
 * target: a proxy then costs a function and the Proxy, with no handler and
 * closures of its own (measured: a fifth less time to record a chain).
 */
const recorder: ProxyHandler<Recorded> = {
  get(target, key) {
    if (key === OPERATIONS) return target[OPERATIONS];
    // Symbols are never operations, and a chain must not look like a
    // thenable, or `await chain` would record a bogus `.then(...)` call.
    if (typeof key === "symbol" || key === "then") return undefined;
    return chainProxy([...target[OPERATIONS], { type: "get", key }]);
  },
  apply(target, _thisArg, args: unknown[]) {
    return chainProxy([...target[OPERATIONS], { type: "apply", args: args.map(toArgument) }]);
  },
};

function chainProxy(operations: OperationChain): unknown {
  // An anonymous function, passed straight on: a named one costs a defineProperty per proxy where bundlers keep names.
  return new Proxy(Object.assign(function () {}, { [OPERATIONS]: operations }), recorder);
}

function toArgument(arg: unknown): Argument {
  if (arg === PLACEHOLDER) return { placeholder: true };
  const nested = getOperationChain(arg);
  return nested ? { chain: nested } : { value: arg };
}

/**
 * The operations a chain proxy recorded, or `undefined` if `value` is not a
 * chain proxy. Plain chain arrays are not recognised: use this only where a
 * proxy from `ctn()` is expected.
 */
export function getOperationChain(value: unknown): OperationChain | undefined {
  if (typeof value !== "function") return undefined;
  const operations = (value as { [OPERATIONS]?: OperationChain })[OPERATIONS];
  return Array.isArray(operations) ? operations : undefined;
}

/**
 * A chain proxy standing for `operations`: how a chain reworked as data (a
 * continuation after {@link bindResult}, say) goes back to an API that takes
 * a chain from `ctn()`.
 */
export function chainFrom(operations: OperationChain): AnyChain {
  return chainProxy(operations) as AnyChain;
}

/**
 * A result placeholder typed `T`: put it among a continuation's arguments to
 * mark where the delivered value goes. Capabilities export typed constants
 * built with it (`$schedule` for alarms); a `call` needs none, since its
 * remote chain is its own placeholder.
 */
export function placeholder<T>(): ResultPlaceholder<T> {
  return PLACEHOLDER as unknown as ResultPlaceholder<T>;
}

// ---------------------------------------------------------------------------
// Placeholders. The executor runs a nested chain with the same result as the
// chain around it, so a placeholder inside `this.ctn().a(this.ctn().b($x))`
// receives the result too. Each function below therefore looks into nested
// chains, at any depth, and they agree: what `hasPlaceholder` finds is what
// `bindResult` may have made and what `fillPlaceholders` fills.
// ---------------------------------------------------------------------------

/** `chain` with each argument replaced by `replace(arg)`, nested chains included. */
function mapArguments(chain: OperationChain, replace: (arg: Argument) => Argument | undefined): OperationChain {
  return chain.map((operation): Operation => {
    if (operation.type !== "apply") return operation;
    const args = operation.args.map((arg): Argument => replace(arg) ?? ("chain" in arg ? { chain: mapArguments(arg.chain, replace) } : arg));
    return { type: "apply", args };
  });
}

/**
 * Marks, in `continuation`, every argument that is the chain `source` as a
 * result placeholder, in nested chains too. This is how
 * `this.ctn().onCount(remote)` comes to mean "call onCount with what `remote`
 * returned".
 */
export function bindResult(continuation: OperationChain, source: OperationChain): OperationChain {
  return mapArguments(continuation, (arg) => ("chain" in arg && arg.chain === source ? { placeholder: true } : undefined));
}

/** Whether `chain` has at least one result placeholder among its arguments, nested chains included. */
export function hasPlaceholder(chain: OperationChain): boolean {
  return chain.some((op) => op.type === "apply" && op.args.some((arg) => "placeholder" in arg || ("chain" in arg && hasPlaceholder(arg.chain))));
}

/**
 * `chain` with every result placeholder, nested chains included, replaced
 * by `result` as plain data: what the chain would do if run with `result`,
 * as a chain that needs no result (to send or store once the result is known).
 */
export function fillPlaceholders(chain: OperationChain, result: unknown): OperationChain {
  return mapArguments(chain, (arg) => ("placeholder" in arg ? { value: result } : undefined));
}
