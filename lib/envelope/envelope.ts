/**
 * Sealing and opening envelopes. Both directions go through structured-clone,
 * so Maps, Dates, cycles and Error subclasses (name, stack, cause) survive the
 * trip, and a value that cannot be sent fails on the side that has it.
 */
import { assertOperationChain, describeChain, type OperationChain } from "../chains";
import { InvalidInputError } from "../errors";
import { describeThrown } from "../errors/internal";
import { parse, postprocess, preprocess, stringify, stringifySync, type Intermediate } from "../structured-clone";
import { oversize } from "./size";
import { ENVELOPE_VERSION, type Address, type ChainEnvelope, type ChainOutcome, type EnvelopeMeta, type Identity, type OpenedEnvelope } from "./types";

/**
 * Packs a chain for sending. Synchronous, so a non-serializable argument is
 * reported at the call site. Chains whose arguments hold a Request or
 * Response with a body need {@link sealChainAsync}.
 */
export function sealChain(chain: OperationChain, meta: EnvelopeMeta): ChainEnvelope {
  // One string crosses RPC faster than the objects it stands for (see ChainEnvelope).
  return { v: ENVELOPE_VERSION, text: stringifySync(partsOf(chain, meta)) };
}

/** Like {@link sealChain}, but also reads Request/Response bodies in the arguments. */
export async function sealChainAsync(chain: OperationChain, meta: EnvelopeMeta): Promise<ChainEnvelope> {
  return { v: ENVELOPE_VERSION, text: await stringify(partsOf(chain, meta)) };
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
 * @throws {InvalidInputError} for anything but a version-2 envelope whose text holds an object.
 * @throws {DataCloneError} for text that is not structured-clone's.
 */
function readEnvelope(envelope: unknown): Record<string, unknown> {
  const version = (envelope as { v?: unknown } | null)?.v;
  if (typeof version === "number" && version !== ENVELOPE_VERSION) {
    throw new InvalidInputError(
      `Chain envelope version ${version} is not one this build reads (it reads ${ENVELOPE_VERSION}): the sender runs another Lumenize version. Use the same Lumenize version on both sides; nothing ran.`,
    );
  }
  const text = (envelope as { text?: unknown } | null)?.text;
  if (version !== ENVELOPE_VERSION || typeof text !== "string") {
    throw new InvalidInputError(`Malformed chain envelope: expected { v: ${ENVELOPE_VERSION}, text }. Send chains with this.lmz.call/callRaw.`);
  }
  const parts = parse(text);
  if (typeof parts !== "object" || parts === null || Array.isArray(parts)) {
    throw new InvalidInputError("Malformed chain envelope: its text must hold an object { chain, caller?, callee?, callId? }.");
  }
  return parts as Record<string, unknown>;
}

/**
 * Runs `work` and packs its outcome for the trip back; never rejects. An
 * outcome that cannot make the trip (a value structured-clone refuses, a
 * thrown value that cannot even be read, anything over Workers RPC's size
 * limit) becomes an Error outcome that names the reason.
 */
export async function sealOutcome(chain: OperationChain, work: Promise<unknown>): Promise<ChainOutcome> {
  let value: unknown;
  try {
    value = await work;
  } catch (error) {
    return sealFailure(chain, error);
  }
  const unsendable = (why: string, cause?: unknown) =>
    sealFailure(chain, new InvalidInputError(`The result of ${describeChain(chain)} could not be sent back: ${why}`, { cause }));
  let sealed: Intermediate;
  try {
    sealed = await preprocess(value);
  } catch (cause) {
    return unsendable(describeThrown(cause), cause);
  }
  const outcome: ChainOutcome = { ok: true, value: sealed };
  const tooBig = oversize(outcome);
  return tooBig ? unsendable(`${tooBig}. Return less, or split it over several calls.`) : outcome;
}

/** Unpacks an outcome: returns the value or throws the (rebuilt) Error. */
export function openOutcome(outcome: ChainOutcome): unknown {
  if (outcome.ok) return postprocess(outcome.value);
  throw postprocess(outcome.error);
}

/** The Error outcome for `error`, thrown by `chain` or standing for its result. */
async function sealFailure(chain: OperationChain, error: unknown): Promise<ChainOutcome> {
  const outcome: ChainOutcome = { ok: false, error: await sealError(chain, error) };
  const tooBig = oversize(outcome);
  if (!tooBig) return outcome;
  const message = `The Error thrown by ${describeChain(chain)} could not be sent back: ${tooBig}. Its name was ${describeName(error)}.`;
  return { ok: false, error: await preprocess(new InvalidInputError(message)) };
}

async function sealError(chain: OperationChain, error: unknown): Promise<Intermediate> {
  try {
    return await preprocess(error);
  } catch {
    // The thrown value itself is not cloneable (an Error holding a function,
    // say): keep what can be said about it.
    return preprocess(readableCopy(chain, error));
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
