/**
 * The call site of `proxyFetch` and `proxyFetchSimple`: everything that can
 * be checked synchronously is checked here, before anything is stored or
 * sent, and fails with a `ProxyFetchError` that says what to fix.
 */
import type { Alarms } from "../alarms";
import { getOperationChain, hasPlaceholder, type AnyChain, type OperationChain } from "../chains";
import { DataCloneError, preprocess, preprocessSync, type Intermediate } from "../structured-clone";
import { originNamespace } from "../delivery";
import { executorService } from "./bindings";
import { ProxyFetchError } from "./errors";
import {
  DEFAULT_EXECUTOR_BINDING,
  DEFAULT_GRACE_PERIOD,
  DEFAULT_RETRY_METHODS,
  DEFAULT_RETRY_STATUSES,
  DEFAULT_TIMEOUT,
  MAX_RETRY_ATTEMPTS,
  type ExecutorKind,
  type OriginAddress,
  type ProxyFetchSimpleOptions,
  type ResolvedRetry,
  type RetryOptions,
} from "./types";

/** What may be proxied: an absolute http(s) URL, or a Request (method, headers and body go along). */
export type ProxyFetchInput = string | URL | Request;

/** Which strategy is calling. */
export type Strategy = "simple" | "orchestrated";

/** The largest time a Date can hold, in epoch milliseconds. */
const MAX_TIME = 8.64e15;

/**
 * What a `LumenizeBase` lends its proxy-fetch (`this.lmz.proxyFetch`): its
 * bindings, what it knows of itself, its pending outcomes and its
 * `waitUntil`. Lent, not reached through the object, so `ctx` and `env` stay
 * off `this.lmz`.
 */
export interface ProxyFetchHost {
  /** The Durable Object's `env`. */
  readonly env: unknown;
  /** The binding it is reached through (once known), its name (if reached by name) and its id. */
  readonly self: { readonly binding: string | undefined; readonly name: string | undefined; readonly id: string };
  /** Where the continuation waits: one pending outcome per fetch. */
  readonly alarms: Pick<Alarms, "expect" | "settle">;
  /** `ctx.waitUntil`: keeps the object alive until `work` settles. */
  waitUntil(work: Promise<unknown>): void;
}

/** A validated call, ready to store and send. */
export interface PreparedFetch {
  readonly host: ProxyFetchHost;
  readonly env: unknown;
  readonly chain: OperationChain;
  readonly request: Request;
  readonly method: string;
  readonly url: string;
  readonly timeout: number;
  readonly gracePeriod: number;
  /** Call time + timeout + gracePeriod, epoch ms: when a result that has not come is presumed lost. */
  readonly deadline: number;
  /**
   * The origin's own deadline, epoch ms: the {@link deadline} for
   * `proxyFetchSimple`; one more gracePeriod for `proxyFetch`, whose
   * orchestrator answers at the deadline, so the origin only answers when
   * the orchestrator could not.
   */
  readonly backstop: number;
  readonly executor: { readonly binding: string; readonly kind: ExecutorKind };
  readonly origin: OriginAddress;
  readonly retry?: ResolvedRetry;
  readonly testMode?: ProxyFetchSimpleOptions["testMode"];
  /** The Request in structured-clone form, or undefined when its body must be read first. */
  readonly sealed?: Intermediate;
}

/** @throws {ProxyFetchError} naming the first problem found. */
export function prepare(
  strategy: Strategy,
  host: ProxyFetchHost,
  input: ProxyFetchInput,
  continuation: AnyChain,
  options: ProxyFetchSimpleOptions,
): PreparedFetch {
  const api = strategy === "simple" ? "this.lmz.proxyFetchSimple" : "this.lmz.proxyFetch";
  const self = host.self;
  const chain = getOperationChain(continuation);
  if (!chain || !hasPlaceholder(chain)) {
    throw new ProxyFetchError(
      `The continuation given to ${api}() ${chain ? "has no result placeholder" : "is not an operation chain"}: build it with this.ctn() and put $response where the Response (or Error) goes, e.g. this.ctn().onResponse($response).`,
    );
  }
  const request = toRequest(api, input);
  const method = request.method;
  const url = request.url;
  const timeout = checkTime(options.timeout ?? DEFAULT_TIMEOUT, "timeout", false);
  const gracePeriod = checkTime(options.gracePeriod ?? DEFAULT_GRACE_PERIOD, "gracePeriod", true);
  const now = Date.now();
  const deadline = now + timeout + gracePeriod;
  const backstop = strategy === "simple" ? deadline : deadline + gracePeriod;
  if (!(backstop <= MAX_TIME)) {
    throw new ProxyFetchError(
      `Invalid timeout ${timeout} or gracePeriod ${gracePeriod}: ${strategy === "simple" ? "timeout + gracePeriod" : "timeout + 2 × gracePeriod"} from now ends after the last time a Date can hold. Give durations in milliseconds, e.g. { timeout: 20_000 }.`,
    );
  }
  const env = host.env;

  const executorKind = options.executorKind ?? "worker";
  if (executorKind !== "worker" && executorKind !== "rpc-target") {
    throw new ProxyFetchError(`Invalid executorKind ${JSON.stringify(executorKind)}: give "worker" or "rpc-target".`);
  }
  const executorBinding = options.executorBinding ?? DEFAULT_EXECUTOR_BINDING;
  executorService(env, executorBinding);

  const originBinding = self.binding ?? options.originBinding;
  if (originBinding === undefined) {
    throw new ProxyFetchError(
      `${api}() cannot tell the executor where to deliver: this Durable Object does not know its own binding yet (it learns it from the first Lumenize call that reaches it). Pass options.originBinding, e.g. { originBinding: "MY_DO" }.`,
    );
  }
  assertAddressesSelf(env, originBinding, self.id);

  let sealed: Intermediate | undefined;
  try {
    sealed = preprocessSync(request);
  } catch (error) {
    // A body is read after the call returns, keeping the call site synchronous.
    if (!(error instanceof DataCloneError && error.code === "ASYNC_BODY")) throw error;
  }
  return {
    host,
    env,
    chain,
    request,
    method,
    url,
    timeout,
    gracePeriod,
    deadline,
    backstop,
    executor: { binding: executorBinding, kind: executorKind },
    origin: self.name === undefined ? { binding: originBinding, id: self.id } : { binding: originBinding, name: self.name, id: self.id },
    retry: resolveRetry(options.retry),
    testMode: options.testMode?.simulateDeliveryFailure ? { simulateDeliveryFailure: true } : undefined,
    sealed,
  };
}

/** The Request in structured-clone form, its body read. */
export async function sealRequest(prepared: PreparedFetch): Promise<Intermediate> {
  return prepared.sealed ?? preprocess(prepared.request);
}

function toRequest(api: string, input: ProxyFetchInput): Request {
  if (input instanceof Request) {
    checkUrl(api, input.url);
    if (input.bodyUsed || input.body?.locked) {
      throw new ProxyFetchError(
        `The Request given to ${api}() has a body that was already read (or is being read), so it cannot be sent. Pass request.clone() before reading it, or a new Request with the body.`,
      );
    }
    return input;
  }
  if (typeof input === "string" || input instanceof URL) {
    return new Request(checkUrl(api, String(input)));
  }
  throw new ProxyFetchError(`${api}() takes a URL string, a URL or a Request, got ${input === null ? "null" : typeof input}.`);
}

function checkUrl(api: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProxyFetchError(`Invalid URL ${JSON.stringify(text)} given to ${api}(): give an absolute http(s) URL, e.g. "https://api.example.com/v1/items".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ProxyFetchError(`Unsupported URL scheme "${url.protocol}" in ${JSON.stringify(text)} given to ${api}(): only http: and https: can be fetched.`);
  }
  return url.href;
}

function checkTime(value: number, name: string, zeroAllowed: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new ProxyFetchError(`Invalid ${name} ${String(value)}: give a ${zeroAllowed ? "finite number of milliseconds, 0 or more" : "positive, finite number of milliseconds"}.`);
  }
  return value;
}

function assertAddressesSelf(env: unknown, binding: string, id: string): void {
  if (!originNamespace(env, { binding, id })) {
    throw new ProxyFetchError(
      `originBinding "${binding}" does not reach this Durable Object: it must be the Durable Object namespace binding this class is bound to in wrangler.jsonc.`,
    );
  }
}

function resolveRetry(retry: boolean | RetryOptions | undefined): ResolvedRetry | undefined {
  if (retry === undefined || retry === false) return undefined;
  const options: RetryOptions = retry === true ? {} : retry;
  if (typeof options !== "object" || options === null) {
    throw new ProxyFetchError(`Invalid retry ${String(retry)}: give true, false, or { attempts, backoff, methods, statuses }.`);
  }
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_RETRY_ATTEMPTS) {
    throw new ProxyFetchError(`Invalid retry.attempts ${String(attempts)}: give a whole number from 1 to ${MAX_RETRY_ATTEMPTS} (attempts in all, the first included).`);
  }
  const backoff = checkTime(options.backoff ?? 250, "retry.backoff", true);
  const methods = options.methods ?? DEFAULT_RETRY_METHODS;
  const statuses = options.statuses ?? DEFAULT_RETRY_STATUSES;
  if (!Array.isArray(methods) || !methods.every((method) => typeof method === "string")) {
    throw new ProxyFetchError(`Invalid retry.methods: give an array of method names, e.g. ["GET", "PUT"].`);
  }
  if (!Array.isArray(statuses) || !statuses.every((status) => Number.isInteger(status))) {
    throw new ProxyFetchError(`Invalid retry.statuses: give an array of whole-number statuses, e.g. [502, 503].`);
  }
  return { attempts, backoff, methods: methods.map((method) => method.toUpperCase()), statuses: [...statuses] };
}
