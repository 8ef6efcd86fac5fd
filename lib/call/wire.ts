/**
 * What both kinds of call send: the sealed chain, checked against Workers
 * RPC's size limit, and how a target is named in messages.
 */
import { describeChain, type OperationChain } from "../chains";
import { oversize, sealChain, type ChainEnvelope, type EnvelopeMeta } from "../envelope";
import { DataCloneError } from "../structured-clone";
import { CallError } from "./errors";

/** Seals synchronously when it can; `undefined` means "bodies to read, seal later". */
export function sealNow(chain: OperationChain, meta: EnvelopeMeta): ChainEnvelope | undefined {
  try {
    return sealChain(chain, meta);
  } catch (error) {
    if (error instanceof DataCloneError && error.code === "ASYNC_BODY") return undefined;
    throw error;
  }
}

/** Returns `envelope` if it fits in one Workers RPC message; throws a CallError saying why not otherwise. */
export function assertFits(envelope: ChainEnvelope, chain: OperationChain): ChainEnvelope {
  // The platform counts the arguments array, so measure that.
  const tooBig = oversize([envelope]);
  if (tooBig) throw new CallError(`The call's chain (${describeChain(chain)}) could not be sent: ${tooBig}. Send less, or split it over several calls.`);
  return envelope;
}

export function describeAddress(address: { binding: string; name?: string }): string {
  return address.name === undefined ? `"${address.binding}"` : `"${address.binding}" instance "${address.name}"`;
}
