/**
 * Getting an outcome home: through the origin's `__settle` door, to the
 * pending outcome the origin made. The door runs the continuation for the
 * first delivery only, so a delivery whose RPC failed can be sent again:
 * repeating it is what makes delivery survive an origin that is restarting,
 * evicted or briefly unreachable.
 */
import { isNamespace, type ChainOutcome } from "../envelope";
import { InvalidInputError } from "../errors";
import type { Delivery, OriginAddress } from "./types";

/** Wait before the second attempt; it doubles up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/** The origin's settle door, as a deliverer calls it. */
export interface SettleDoor {
  __settle(id: string, token: string, outcome: ChainOutcome): Promise<boolean>;
}

/** Whether `value` is a well-formed {@link Delivery}, as one from elsewhere must be. */
export function isDelivery(value: unknown): value is Delivery {
  const { origin, token, deadline } = (value ?? {}) as Partial<Delivery>;
  return typeof origin?.binding === "string" && typeof origin?.id === "string" && typeof token === "string" && typeof deadline === "number" && Number.isFinite(deadline);
}

/**
 * The origin's namespace in `env`, if `origin` names one that holds its id.
 * A deliverer checks this before taking on work it could not deliver.
 */
export function originNamespace(env: unknown, origin: OriginAddress): DurableObjectNamespace | undefined {
  const found = ((env ?? {}) as Record<string, unknown>)[origin.binding];
  if (!isNamespace(found)) return undefined;
  try {
    // Ids carry their namespace: a binding for another class refuses the origin's.
    found.idFromString(origin.id);
    return found;
  } catch {
    return undefined;
  }
}

/** A stub of the origin's settle door. @throws {InvalidInputError} if `env` cannot reach the origin. */
export function originStub(env: unknown, origin: OriginAddress): SettleDoor {
  const namespace = originNamespace(env, origin);
  if (!namespace) {
    throw new InvalidInputError(
      `Cannot reach the origin through binding "${origin.binding}": it must be the Durable Object namespace of the object that is waiting, in the deliverer's env (share the bindings).`,
    );
  }
  const stub = origin.name !== undefined ? namespace.getByName(origin.name) : namespace.get(namespace.idFromString(origin.id));
  return stub as unknown as SettleDoor;
}

/**
 * Delivers `outcome` to the pending outcome `id`, again and again while the
 * origin cannot be reached, until `delivery.deadline` (when the origin
 * answers on its own) or `until`, whichever is sooner. Resolves `true` if
 * this delivery ran the continuation, `false` if the outcome was already
 * decided (the deadline, or another delivery, came first), or `undefined`
 * if the origin could not be reached in time (logged under `label`). Never
 * rejects.
 */
export async function deliver(env: unknown, delivery: Delivery, id: string, outcome: ChainOutcome, label: string, until = delivery.deadline): Promise<boolean | undefined> {
  const stop = Math.min(until, delivery.deadline);
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      // A fresh stub per attempt: a stub that saw an exception may be broken.
      return await originStub(env, delivery.origin).__settle(id, delivery.token, outcome);
    } catch (error) {
      if (Date.now() + backoff >= stop) {
        console.error(`[lumenize] ${label}: could not reach the origin (binding "${delivery.origin.binding}") to deliver the outcome; its own deadline will answer.`, error);
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}
