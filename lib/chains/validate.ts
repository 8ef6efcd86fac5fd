/**
 * Shape checks for chains that arrive from elsewhere (over RPC, from SQLite).
 * A chain is data; until it passes here it is treated as hostile.
 *
 * The work is bounded by what was sent, never by what an array claims: an
 * array's `length` is one number on the wire, so each array is walked only up
 * to its first hole. If an array holds k elements and is longer than k, one of
 * indices 0..k is a hole (pigeonhole), so that walk visits at most k + 1 slots.
 */
import { OperationChainError } from "./errors";
import type { OperationChain } from "./types";

/** Longest chain accepted, and deepest nesting of chains in arguments. */
const MAX_OPERATIONS = 1_000;
const MAX_NESTING = 32;

/**
 * Throws an {@link OperationChainError} naming the first problem unless
 * `value` is a well-formed operation chain (nested chains included).
 */
export function assertOperationChain(value: unknown, depth = 0): asserts value is OperationChain {
  if (!Array.isArray(value)) {
    throw new OperationChainError(`Malformed operation chain: expected an array of operations, got ${kindOf(value)}.`);
  }
  // An empty chain's value is its target itself, which would then leave as a result or an argument.
  if (value.length === 0) {
    throw new OperationChainError("Malformed operation chain: it has no operations. A chain names a member of its target, e.g. this.ctn<T>().method().");
  }
  if (value.length > MAX_OPERATIONS) {
    throw new OperationChainError(`Malformed operation chain: ${value.length} operations exceed the limit of ${MAX_OPERATIONS}.`);
  }
  if (depth > MAX_NESTING) {
    throw new OperationChainError(`Malformed operation chain: chains nested more than ${MAX_NESTING} deep in arguments.`);
  }
  eachElement(value, holeInChain, (operation, step) => {
    if (typeof operation !== "object" || operation === null) {
      throw malformed(step, `expected an operation object, got ${kindOf(operation)}`);
    }
    const { type } = operation as { type?: unknown };
    if (type === "get") {
      const { key } = operation as { key?: unknown };
      if (typeof key !== "string") throw malformed(step, `a "get" needs a string key, got ${kindOf(key)}`);
    } else if (type === "apply") {
      const { args } = operation as { args?: unknown };
      if (!Array.isArray(args)) throw malformed(step, `an "apply" needs an args array, got ${kindOf(args)}`);
      eachElement(
        args,
        (hole) => malformed(step, `the args array ${hole}; send every argument, wrapped as { value }, { chain } or { placeholder }`),
        (arg, index) => assertArgument(arg, step, index, depth),
      );
    } else {
      throw malformed(step, `unknown operation type ${JSON.stringify(String(type))}`);
    }
  });
}

/**
 * Whether `value` is an array with no holes, found at the cost of what was
 * sent: the walk stops at the first hole (see the module doc). For every
 * door that takes an array from elsewhere, before it maps or loops over it:
 * the built-in `map`, `forEach` and `every` visit each index up to `length`,
 * so a few bytes claiming length 2³² − 1 would hold the object's CPU for
 * over a minute. `Element` is what the caller goes on to check each element
 * as; nothing about the elements is checked here.
 */
export function isDenseArray<Element = unknown>(value: unknown): value is Element[] {
  if (!Array.isArray(value)) return false;
  const length = value.length;
  for (let index = 0; index < length; index++) if (!Object.hasOwn(value, index)) return false;
  return true;
}

/**
 * Calls `check` on each element in order, and throws `refuse(…)` at the first
 * hole: at most one slot past the elements that exist (see the module doc).
 */
function eachElement(array: readonly unknown[], refuse: (hole: string) => Error, check: (element: unknown, index: number) => void): void {
  const length = array.length;
  for (let index = 0; index < length; index++) {
    // Own elements only: an index inherited from Array.prototype is a hole too.
    if (!Object.hasOwn(array, index)) throw refuse(`has a hole at index ${index} (length ${length})`);
    check(array[index], index);
  }
}

function assertArgument(arg: unknown, step: number, index: number, depth: number): void {
  if (typeof arg !== "object" || arg === null) {
    throw malformed(step, `argument ${index} must be wrapped as { value }, { chain } or { placeholder }, got ${kindOf(arg)}`);
  }
  const keys = Object.keys(arg);
  if (keys.length === 1 && keys[0] === "value") return;
  if (keys.length === 1 && keys[0] === "placeholder" && (arg as { placeholder: unknown }).placeholder === true) return;
  if (keys.length === 1 && keys[0] === "chain") {
    assertOperationChain((arg as { chain: unknown }).chain, depth + 1);
    return;
  }
  throw malformed(step, `argument ${index} has keys [${keys.join(", ")}]; expected exactly one of value, chain, placeholder`);
}

// A function of its own, not a closure per call: bundlers that keep names (wrangler does) pay a defineProperty for each named closure made.
function holeInChain(hole: string): OperationChainError {
  return new OperationChainError(`Malformed operation chain: the operations array ${hole}; send every operation.`);
}

function malformed(step: number, problem: string): OperationChainError {
  return new OperationChainError(`Malformed operation chain at step ${step}: ${problem}.`);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
