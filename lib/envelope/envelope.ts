/**
 * Sealing and opening envelopes. Both directions go through structured-clone,
 * so Maps, Dates, cycles and Error subclasses (name, stack, cause) survive the
 * trip, and a value that cannot be sent fails on the side that has it.
 */
import { assertOperationChain, describeChain, type OperationChain } from "../chains";
import { InvalidInputError } from "../errors";
import { postprocess, preprocess, preprocessSync, type Intermediate } from "../structured-clone";
import type { Address, ChainEnvelope, ChainOutcome, Identity } from "./types";

/**
 * Packs a chain for sending. Synchronous, so a non-serializable argument is
 * reported at the call site. Chains whose arguments hold a Request or
 * Response with a body need {@link sealChainAsync}.
 */
export function sealChain(chain: OperationChain, meta: Omit<ChainEnvelope, "v" | "chain">): ChainEnvelope {
  return { v: 1, chain: preprocessSync(chain), ...meta };
}

/** Like {@link sealChain}, but also reads Request/Response bodies in the arguments. */
export async function sealChainAsync(chain: OperationChain, meta: Omit<ChainEnvelope, "v" | "chain">): Promise<ChainEnvelope> {
  return { v: 1, chain: await preprocess(chain), ...meta };
}

/** Validates an envelope from elsewhere and returns its decoded chain. */
export function openEnvelope(envelope: unknown): { chain: OperationChain; caller?: Identity; callee?: Address; callId?: string } {
  if (typeof envelope !== "object" || envelope === null || (envelope as { v?: unknown }).v !== 1) {
    throw new InvalidInputError("Malformed chain envelope: expected { v: 1, chain, ... }. Send chains with this.lmz.call/callRaw.");
  }
  const { chain: sealed, caller, callee, callId } = envelope as ChainEnvelope;
  const chain = postprocess(sealed);
  assertOperationChain(chain);
  return { chain, caller: validIdentity(caller), callee: validAddress(callee), callId: typeof callId === "string" ? callId : undefined };
}

/** Runs `work` and packs its outcome; never rejects. */
export async function sealOutcome(chain: OperationChain, work: Promise<unknown>): Promise<ChainOutcome> {
  let value: unknown;
  try {
    value = await work;
  } catch (error) {
    return { ok: false, error: await sealError(error) };
  }
  try {
    return { ok: true, value: await preprocess(value) };
  } catch (cause) {
    const message = `The result of ${describeChain(chain)} could not be sent back: ${(cause as Error)?.message ?? cause}`;
    return { ok: false, error: await sealError(new InvalidInputError(message, { cause })) };
  }
}

/** Unpacks an outcome: returns the value or throws the (rebuilt) Error. */
export function openOutcome(outcome: ChainOutcome): unknown {
  if (outcome.ok) return postprocess(outcome.value);
  throw postprocess(outcome.error);
}

async function sealError(error: unknown): Promise<Intermediate> {
  try {
    return await preprocess(error);
  } catch {
    // The thrown value itself is not cloneable (say, an Error holding a
    // function): keep what can be said about it.
    const fallback = new Error(String((error as Error)?.message ?? error));
    fallback.name = String((error as Error)?.name ?? "Error");
    fallback.stack = (error as Error)?.stack;
    return preprocess(fallback);
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
