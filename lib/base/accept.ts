/**
 * What `__acceptChain` does on a `LumenizeBase` and a `LumenizeWorker`: the
 * door of a durable call. It checks that the outcome can be delivered, then
 * acknowledges at once; the chain runs afterwards, under the host's
 * `waitUntil`, through the same door as every chain (`openDoor`: the
 * `onBeforeCall` hook, the security rules, the outcome sealed), with the
 * call id as `this.lmz.callId`. The outcome, value or Error, goes back
 * through the caller's `__settle` door, again and again until the caller's
 * deadline if the caller cannot be reached.
 *
 * It throws only for what makes delivery impossible (no call id, no valid
 * delivery, no binding here that reaches the caller): the caller takes a
 * throw as a refusal and gives its continuation a `CallError`.
 */
import { deliver, isDelivery, originNamespace } from "../delivery";
import type { Address } from "../envelope";
import { InvalidInputError } from "../errors";
import { openDoor } from "./door";

export function acceptChain(host: object, env: unknown, envelope: unknown, delivery: unknown, waitUntil: (work: Promise<unknown>) => void, learn?: (address: Address) => void): void {
  const callId = (envelope as { callId?: unknown } | null)?.callId;
  if (typeof callId !== "string" || callId === "" || !isDelivery(delivery)) {
    throw new InvalidInputError(
      "Malformed durable call: __acceptChain takes (envelope with a callId, { origin: { binding, id, name? }, token, deadline }), as this.lmz.call(..., { durable: true }) sends.",
    );
  }
  if (!originNamespace(env, delivery.origin)) {
    throw new InvalidInputError(
      `${host.constructor.name} cannot deliver the outcome of durable call ${callId}: its env has no Durable Object namespace binding "${delivery.origin.binding}" that reaches the caller. Bind the caller's class under that name here too, or make the call without { durable: true }.`,
    );
  }
  waitUntil(
    (async () => {
      const outcome = await openDoor(host, envelope, learn, true);
      await deliver(env, delivery, callId, outcome, `durable call ${callId}`);
    })(),
  );
}
