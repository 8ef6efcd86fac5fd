/**
 * What `__acceptChains` does on a `LumenizeBase` and a `LumenizeWorker`: the
 * door of durable calls. For each call handed over, it checks that the
 * outcome can be delivered, and answers at once whether it took the call;
 * the chains run afterwards, under the host's `waitUntil`, through the same
 * door as every chain (`openDoor`: the `onBeforeCall` hook, the security
 * rules, the outcome sealed), each with its call id as `this.lmz.callId`.
 * Outcomes going to the same caller in the same synchronous stretch travel
 * home together through its `__settleAll` door, again and again until their
 * deadlines if the caller cannot be reached.
 */
import { isDenseArray } from "../chains/internal";
import { collect, deliverAll, isDelivery, originNamespace, type HandOver, type OriginAddress, type Settlement } from "../delivery";
import { openEnvelope, type Address, type OpenedEnvelope } from "../envelope";
import { InvalidInputError } from "../errors";
import { describeThrown } from "../errors/internal";
import { enterDoor } from "./door";

/** Resolves once the current event-loop turn is over (a zero-delay timer). */
export const endOfTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** An outcome on its way home, and until when it is worth carrying. */
interface Homeward extends Settlement {
  readonly deadline: number;
}

/**
 * Takes the durable calls handed over; returns, per call, `null` (taken: it
 * will run, and its outcome will be delivered) or why not (nothing ran).
 *
 * @throws {InvalidInputError} if `handOvers` is not an array.
 */
export function acceptChains(
  host: object,
  env: unknown,
  handOvers: unknown,
  waitUntil: (work: Promise<unknown>) => void,
  learn?: (address: Address) => void,
): (string | null)[] {
  if (!isDenseArray<Partial<HandOver> | null>(handOvers)) {
    throw new InvalidInputError("Malformed durable calls: __acceptChains takes an array of { envelope, delivery }, with no holes, as this.lmz.call(..., { durable: true }) sends.");
  }
  return handOvers.map((handOver) => {
    let opened: OpenedEnvelope;
    try {
      opened = openEnvelope(handOver?.envelope);
    } catch (error) {
      // Without an envelope that opens there is no call id to answer under: refuse, nothing runs.
      return `malformed: the envelope does not open (${describeThrown(error)})`;
    }
    const callId = opened?.callId;
    const delivery = handOver?.delivery;
    if (typeof callId !== "string" || callId === "" || !isDelivery(delivery)) {
      return "malformed: a durable call is { envelope with a callId, delivery: { origin: { binding, id, name? }, token, deadline } }";
    }
    if (!originNamespace(env, delivery.origin)) {
      return `${host.constructor.name} cannot deliver the outcome: its env has no Durable Object namespace binding "${delivery.origin.binding}" that reaches the caller. Bind the caller's class under that name here too, or make the call without { durable: true }`;
    }
    waitUntil(
      (async () => {
        const outcome = await enterDoor(host, opened, learn, true);
        const { origin } = delivery;
        const homeward: Homeward = { id: callId, token: delivery.token, outcome, deadline: delivery.deadline };
        // Flushed at the end of the turn, not of the microtasks: outcomes of methods that awaited timers or I/O
        // finishing together then go in one RPC, and the caller commits one claim for all of them.
        collect(host, homeKey(origin), homeward, (batch) => deliverAll(env, origin, batch, "durable calls"), waitUntil, endOfTurn);
      })(),
    );
    return null;
  });
}

/**
 * The batch an outcome joins: one per object it goes to. The batch is sent
 * to its first outcome's origin, so the key must tell a name from an id: a
 * hand-over naming an object after another caller's id would otherwise draw
 * that caller's outcomes to the object it named.
 */
function homeKey(origin: OriginAddress): string {
  return JSON.stringify(["settle", origin.binding, origin.name === undefined ? { id: origin.id } : { name: origin.name }]);
}
