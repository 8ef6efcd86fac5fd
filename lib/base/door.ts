/**
 * The door: what `__executeChain` does on every base class. It opens the
 * envelope, learns how the caller addressed this host, runs the chain against
 * the host under the security rules, and seals the outcome. It never throws:
 * every failure, including a malformed envelope, comes back as an Error in
 * the outcome, where the caller's continuation will see it.
 */
import { executeOperationChain } from "../chains";
import { openEnvelope, sealOutcome, type Address, type ChainOutcome } from "../envelope";

export async function openDoor(host: object, envelope: unknown, learn?: (address: Address) => void): Promise<ChainOutcome> {
  let opened: ReturnType<typeof openEnvelope>;
  try {
    opened = openEnvelope(envelope);
    if (opened.callee && learn) learn(opened.callee);
  } catch (error) {
    return sealOutcome([], Promise.reject(error));
  }
  const { chain, caller } = opened;
  return sealOutcome(chain, executeOperationChain(chain, host, { caller }));
}
