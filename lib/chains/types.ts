/**
 * The data and the types of operation chains.
 *
 * An operation chain is the recorded form of an expression such as
 * `getUser(id).profile.update({ name })`: a plain array of property reads and
 * calls. It is data, so it can be stored in SQLite (alarms), carried over
 * Workers RPC (call) and executed later, somewhere else, against a target.
 */
import type { DurableObject, WorkerEntrypoint } from "cloudflare:workers";

/** Read property `key` of the current value. */
export interface GetOperation {
  readonly type: "get";
  readonly key: string;
}

/** Call the current value (a method of the previous value) with `args`. */
export interface ApplyOperation {
  readonly type: "apply";
  readonly args: readonly Argument[];
}

export type Operation = GetOperation | ApplyOperation;

/**
 * One argument of a call. Every argument is wrapped so that user data can
 * never be mistaken for a marker, whatever keys it has.
 * - `{ value }`: plain data, passed as is.
 * - `{ chain }`: a nested chain; it runs against the same target first and
 *   its result is passed.
 * - `{ placeholder: true }`: stands for a result delivered later (the remote
 *   result of a `call`, the fired `Schedule`, a proxied `Response`, or an
 *   `Error` in its place).
 */
export type Argument =
  | { readonly value: unknown }
  | { readonly chain: OperationChain }
  | { readonly placeholder: true };

/** A recorded expression: property reads and calls, in order. */
export type OperationChain = readonly Operation[];

// ---------------------------------------------------------------------------
// Type-level brands. They exist only for the compiler: at run time a chain is
// a Proxy and a placeholder is a marker object.
// ---------------------------------------------------------------------------

declare const VALUE: unique symbol;
declare const RESULT: unique symbol;

/**
 * Something that stands, in a continuation's arguments, for a result of type
 * `T` delivered later. A continuation parameter accepts it only if it accepts
 * `T`: for a `call`, `T` is the remote result or an `Error`.
 */
export interface ResultPlaceholder<T> {
  readonly [RESULT]: T;
}

/** What every chain proxy carries for the compiler. */
export interface ChainBrand<T> {
  /** The value the chain produces when it runs. */
  readonly [VALUE]: T;
  /** What a continuation receives in its place: the value, or the Error the run threw. */
  readonly [RESULT]: T | Error;
}

/**
 * Where a chain is headed:
 * - `"target"`: a chain to run elsewhere (`ctn<RemoteDO>()`); nested chains in its
 *   arguments run first, so a parameter must accept their value.
 * - `"continuation"`: a chain of your own methods (`this.ctn()`); chains in its
 *   arguments are result placeholders, so a parameter must accept their value
 *   or an `Error`.
 */
export type ChainMode = "target" | "continuation";

/**
 * The handlers the platform invokes on a Worker entrypoint or a Durable
 * Object, read off its own base classes' types (`fetch`, `scheduled`,
 * `alarm`, `webSocketMessage`…; not their `__`-prefixed RPC brands). The
 * executor refuses the same names (`PLATFORM_HANDLERS` in `security.ts`; a
 * type test keeps the two equal).
 */
export type PlatformHandler = Exclude<keyof WorkerEntrypoint | keyof DurableObject, symbol | `__${string}`>;

/** Members no chain may reach (mirrors the executor's refusals, see `security.ts`). */
type HiddenKey = `__${string}` | `#${string}` | "ctx" | "env" | "lmz" | "ctn" | "onBeforeCall" | "constructor" | "prototype" | PlatformHandler;

type ArgumentOf<P, M extends ChainMode> =
  | P
  | (M extends "continuation" ? ResultPlaceholder<P> : { readonly [VALUE]: P });

type ArgumentsOf<A extends readonly unknown[], M extends ChainMode> = {
  [I in keyof A]: ArgumentOf<A[I], M>;
};

type Callable<T, M extends ChainMode> = T extends (...args: infer A) => infer R
  ? (...args: ArgumentsOf<A, M>) => Chain<Awaited<R>, M>
  : unknown;

type Members<T, M extends ChainMode> = T extends object
  ? { readonly [K in Exclude<keyof T, symbol | HiddenKey>]-?: Chain<Awaited<T[K]>, M> }
  : unknown;

/**
 * A typed recorder: reading a member or calling a method returns a longer
 * chain whose type follows the target's own types (promises are awaited
 * between steps, as the executor does). A wrong name or argument type does
 * not compile.
 */
export type Chain<T, M extends ChainMode = "target"> = ChainBrand<T> & Callable<T, M> & Members<T, M>;

/** A chain of the caller's own methods, to run later with a result. */
export type Continuation<T> = Chain<T, "continuation">;

/** Any chain proxy, whatever it records. */
export type AnyChain = ChainBrand<unknown>;
