/**
 * Sealing and opening envelopes. Both directions go through structured-clone,
 * so Maps, Dates, cycles and Error subclasses (name, stack, cause) survive the
 * trip, and a value that cannot be sent fails on the side that has it.
 */
import { assertOperationChain, describeChain, type OperationChain } from "../chains";
import { InvalidInputError } from "../errors";
import { describeThrown } from "../errors/internal";
import { DataCloneError, parse, preprocessSync, stringify, stringifySync } from "../structured-clone";
import { oversize } from "./size";
import { ENVELOPE_VERSION, type Address, type ChainEnvelope, type ChainOutcome, type EnvelopeMeta, type Identity, type OpenedEnvelope } from "./types";

/**
 * Packs a chain for sending. Synchronous, so a non-serializable argument is
 * reported at the call site. Chains whose arguments hold a Request or
 * Response with a body need {@link sealChainAsync}.
 */
export function sealChain(chain: OperationChain, meta: EnvelopeMeta): ChainEnvelope {
  return `${ENVELOPE_VERSION}:${stringifySync(partsOf(chain, meta))}`;
}

/** Like {@link sealChain}, but also reads Request/Response bodies in the arguments. */
export async function sealChainAsync(chain: OperationChain, meta: EnvelopeMeta): Promise<ChainEnvelope> {
  return `${ENVELOPE_VERSION}:${await stringify(partsOf(chain, meta))}`;
}

/**
 * What the text holds, without the fields that are undefined: plain JSON
 * data (the usual chain, of numbers and strings) then takes structured-clone's
 * fast path, written as it is with no copy, and adopted as it is on arrival.
 */
function partsOf(chain: OperationChain, { caller, callee, callId }: EnvelopeMeta): Record<string, unknown> {
  const parts: Record<string, unknown> = { chain };
  if (caller !== undefined) parts.caller = definedOnly(caller);
  if (callee !== undefined) parts.callee = definedOnly(callee);
  if (callId !== undefined) parts.callId = callId;
  return parts;
}

/** `object`, or a copy without its undefined fields if it has any. */
function definedOnly<T extends object>(object: T): T {
  for (const key in object) {
    if (object[key] === undefined) return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
  }
  return object;
}

/** Validates an envelope from elsewhere and returns its decoded chain. */
export function openEnvelope(envelope: unknown): OpenedEnvelope {
  const { chain, caller, callee, callId } = readEnvelope(envelope);
  assertOperationChain(chain);
  return { chain, caller: validIdentity(caller), callee: validAddress(callee), callId: typeof callId === "string" ? callId : undefined };
}

/**
 * The parts of an envelope's text, decoded (structured-clone's `parse`, safe
 * on hostile text) but not yet checked.
 * @throws {InvalidInputError} for anything but a version-3 envelope whose text holds an object.
 * @throws {DataCloneError} for text that is not structured-clone's.
 */
function readEnvelope(envelope: unknown): Record<string, unknown> {
  const version = versionOf(envelope);
  if (version !== undefined && version !== ENVELOPE_VERSION) {
    throw new InvalidInputError(
      `Chain envelope version ${version} is not one this build reads (it reads ${ENVELOPE_VERSION}): the sender runs another Lumenize version. Use the same Lumenize version on both sides; nothing ran.`,
    );
  }
  if (version === undefined || typeof envelope !== "string") {
    throw new InvalidInputError(`Malformed chain envelope: expected "${ENVELOPE_VERSION}:" and a text. Send chains with this.lmz.call/callRaw.`);
  }
  const parts = parse(envelope.slice(VERSION_PREFIX.length));
  if (typeof parts !== "object" || parts === null || Array.isArray(parts)) {
    throw new InvalidInputError("Malformed chain envelope: its text must hold an object { chain, caller?, callee?, callId? }.");
  }
  return parts as Record<string, unknown>;
}

const VERSION_PREFIX = `${ENVELOPE_VERSION}:`;

/**
 * The version an envelope says it is: the number before the colon of this
 * version's string form, or the `v` field that versions 1 and 2 (objects)
 * carried; `undefined` if it says none.
 */
function versionOf(envelope: unknown): number | undefined {
  if (typeof envelope === "string") {
    if (envelope.startsWith(VERSION_PREFIX)) return ENVELOPE_VERSION;
    const match = /^(\d{1,9}):/.exec(envelope);
    return match ? Number(match[1]) : undefined;
  }
  const version = (envelope as { v?: unknown } | null)?.v;
  return typeof version === "number" ? version : undefined;
}

/**
 * An outcome a sender of versions 1 and 2 reads, for the door to answer
 * one with (`{ ok: false, error }`, structured-clone's Intermediate): the
 * Error saying which versions met reaches that sender's caller.
 */
export function sealOldVersionFailure(error: Error): unknown {
  return { ok: false, error: preprocessSync(error) };
}

/** Whether `envelope` is one that versions 1 and 2 sent: an object, not this version's string. */
export function isOldVersionEnvelope(envelope: unknown): boolean {
  return typeof envelope === "object" && envelope !== null;
}

/**
 * Packs what a chain gave for the trip back: its value, or a Promise of it.
 * Synchronous when the value is already there and holds no body to read (the
 * usual case), so the door can answer without a turn of the microtask queue.
 * Never throws or rejects: an outcome that cannot make the trip (a value
 * structured-clone refuses, a thrown value that cannot even be read,
 * anything over Workers RPC's size limit) becomes an Error outcome that
 * names the reason.
 */
export function sealOutcome(chain: OperationChain, result: unknown): ChainOutcome | Promise<ChainOutcome> {
  if (result instanceof Promise) return result.then((value: unknown) => sealValue(chain, value), (error: unknown) => sealThrown(chain, error));
  return sealValue(chain, result);
}

function sealValue(chain: OperationChain, value: unknown): ChainOutcome | Promise<ChainOutcome> {
  let text: string;
  try {
    text = stringifySync(value);
  } catch (cause) {
    if (cause instanceof DataCloneError && cause.code === "ASYNC_BODY") {
      return stringify(value).then((later) => fitting(chain, later), (later: unknown) => unsendable(chain, describeThrown(later), later));
    }
    return unsendable(chain, describeThrown(cause), cause);
  }
  return fitting(chain, text);
}

/** The outcome for a value's `text`, or an Error outcome if it is over Workers RPC's size limit. */
function fitting(chain: OperationChain, text: string): ChainOutcome | Promise<ChainOutcome> {
  const outcome: ChainOutcome = `${VALUE}${text}`;
  const tooBig = oversize(outcome);
  return tooBig ? unsendable(chain, `${tooBig}. Return less, or split it over several calls.`) : outcome;
}

function unsendable(chain: OperationChain, why: string, cause?: unknown): Promise<ChainOutcome> {
  return sealThrown(chain, new InvalidInputError(`The result of ${describeChain(chain)} could not be sent back: ${why}`, { cause }));
}

/** The tags that start an outcome: a value, or the Error in its place. */
const VALUE = "=";
const ERROR = "!";

/**
 * Whether `value` has an outcome's shape: this version's, or one of
 * versions 1 and 2 (an object with `ok`), which {@link openOutcome} turns
 * into the Error naming the versions that met, so that a continuation
 * waiting for it learns why.
 */
export function isOutcome(value: unknown): value is ChainOutcome {
  if (typeof value === "string") return value[0] === VALUE || value[0] === ERROR;
  return typeof value === "object" && value !== null && typeof (value as { ok?: unknown }).ok === "boolean";
}

/**
 * Unpacks an outcome: returns the value or throws the (rebuilt) Error.
 * @throws {InvalidInputError} for anything but an outcome of this version
 *   (an outcome of versions 1 and 2 was an object).
 */
export function openOutcome(outcome: unknown): unknown {
  const tag = typeof outcome === "string" ? outcome[0] : undefined;
  if (tag !== VALUE && tag !== ERROR) {
    const why = typeof outcome === "object" && outcome !== null ? "an object, as versions 1 and 2 sent: the sender runs another Lumenize version" : "not one";
    throw new InvalidInputError(`Malformed outcome: this build reads version ${ENVELOPE_VERSION}'s, a string starting with "${VALUE}" or "${ERROR}", and this is ${why}. Use the same Lumenize version on both sides.`);
  }
  const decoded = parse((outcome as string).slice(1));
  if (tag === VALUE) return decoded;
  throw decoded;
}

/** The Error outcome for `error`, thrown by `chain` or standing for its result. Never rejects. */
export async function sealThrown(chain: OperationChain, error: unknown): Promise<ChainOutcome> {
  const outcome: ChainOutcome = `${ERROR}${await sealError(chain, error)}`;
  const tooBig = oversize(outcome);
  if (!tooBig) return outcome;
  const message = `The Error thrown by ${describeChain(chain)} could not be sent back: ${tooBig}. Its name was ${describeName(error)}.`;
  return `${ERROR}${await stringify(new InvalidInputError(message))}`;
}

async function sealError(chain: OperationChain, error: unknown): Promise<string> {
  try {
    return await stringify(error);
  } catch {
    // The thrown value itself is not cloneable (an Error holding a function,
    // say): keep what can be said about it.
    return stringify(readableCopy(chain, error));
  }
}

/** A plain Error with `error`'s name, message and stack, or one saying they cannot be read. */
function readableCopy(chain: OperationChain, error: unknown): Error {
  try {
    const { name, message, stack } = Object(error) as Error;
    const copy = new Error(String(message ?? error));
    copy.name = String(name ?? "Error");
    copy.stack = typeof stack === "string" ? stack : undefined;
    return copy;
  } catch (readError) {
    return new InvalidInputError(`${describeChain(chain)} threw a value that cannot be read or sent back: reading it threw ${describeThrown(readError)}.`);
  }
}

function describeName(error: unknown): string {
  try {
    return JSON.stringify(String((error as Error).name));
  } catch {
    return "unreadable";
  }
}

function validIdentity(value: unknown): Identity | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { kind, binding, name, id } = value as Record<string, unknown>;
  if (kind !== "durable-object" && kind !== "worker" && kind !== "rpc-target") return undefined;
  return { kind, binding: str(binding), name: str(name), id: str(id) };
}

function validAddress(value: unknown): Address | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const binding = str((value as Record<string, unknown>).binding);
  return binding ? { binding, name: str((value as Record<string, unknown>).name) } : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
