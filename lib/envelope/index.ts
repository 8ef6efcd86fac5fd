/**
 * The envelope: the wire format of an operation chain crossing a boundary
 * (DO↔DO, DO↔Worker) through the `__executeChain` door, and of its outcome.
 * Internal plumbing shared by the base classes and `call`.
 *
 * @module
 */
export { ENVELOPE_VERSION, type Address, type ChainEnvelope, type ChainOutcome, type EnvelopeMeta, type Identity, type OpenedEnvelope } from "./types";
export { isOldVersionEnvelope, isOutcome, openEnvelope, openOutcome, sealChain, sealChainAsync, sealOldVersionFailure, sealOutcome, sealThrown } from "./envelope";
export { isNamespace, isService } from "./bindings";
export { oversize, RPC_MESSAGE_LIMIT, rpcSize, textSizeBound } from "./size";
