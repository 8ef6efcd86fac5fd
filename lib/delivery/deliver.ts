/**
 * Getting an outcome home: through the origin's `__settle` door (or
 * `__settleAll`, for several), to the pending outcome the origin made. The
 * door runs the continuation for the first delivery only, so a delivery
 * whose RPC failed can be sent again: repeating it is what makes delivery
 * survive an origin that is restarting, evicted or briefly unreachable.
 */
import type { SettleDoor } from "../base";
import { isNamespace, oversize, rpcSize, sealThrown, type ChainOutcome } from "../envelope";
import { InvalidInputError } from "../errors";
import { fittingSlices } from "./batch";
import type { Delivery, OriginAddress } from "./types";

/** Wait before the second attempt; it doubles up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/** One outcome for one pending outcome, as `__settleAll` takes it. */
export interface Settlement {
  readonly id: string;
  readonly token: string;
  readonly outcome: ChainOutcome;
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

/** A stub of the origin's settle doors. @throws {InvalidInputError} if `env` cannot reach the origin. */
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
 * Runs `attempt` until it resolves, waiting between tries (100 ms, doubling
 * up to 2 s). Gives up on an error that `final` calls final, or once the
 * next try would start after `stop()` (epoch milliseconds). Never rejects.
 */
export async function untilDeadline<T>(
  attempt: () => Promise<T>,
  stop: () => number,
  final: (error: unknown) => boolean = () => false,
): Promise<{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }> {
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      return { ok: true, value: await attempt() };
    } catch (error) {
      if (final(error) || Date.now() + backoff >= stop()) return { ok: false, error };
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

/**
 * Whether the remote's own code threw (a refusal, final), rather than the
 * platform failing to get the call there or back (worth sending again).
 * The settle doors never throw, so from them a refusal means the origin has
 * none (it is not a Lumenize host): sending again until a deadline, which a
 * hand-over from elsewhere may set years away, would only keep the deliverer
 * busy.
 */
export function isRefusal(error: unknown): boolean {
  const flags = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  return flags.remote === true && !flags.durableObjectReset && !flags.overloaded && !flags.retryable;
}

/**
 * Delivers `outcome` to the pending outcome `id`, again and again while the
 * origin cannot be reached, until `delivery.deadline` (when the origin
 * answers on its own) or `until`, whichever is sooner. Resolves `true` if
 * this delivery ran the continuation, `false` if the outcome was already
 * decided (the deadline, or another delivery, came first), or `undefined`
 * if the origin could not be reached in time, or refused the delivery (it
 * has no settle door: see {@link isRefusal}); logged under `label`. Never
 * rejects.
 */
export async function deliver(env: unknown, delivery: Delivery, id: string, outcome: ChainOutcome, label: string, until = delivery.deadline): Promise<boolean | undefined> {
  // A fresh stub per attempt: a stub that saw an exception may be broken.
  const sendable = await deliverable({ id, token: delivery.token, outcome });
  const sent = await untilDeadline(() => originStub(env, delivery.origin).__settle(id, delivery.token, sendable), () => Math.min(until, delivery.deadline), isRefusal);
  if (sent.ok) return sent.value;
  console.error(`[lumenize] ${label}: could not reach the origin (binding "${delivery.origin.binding}") to deliver the outcome; its own deadline will answer.`, sent.error);
  return undefined;
}

/**
 * {@link deliver} for several outcomes going to one origin, in one
 * `__settleAll` RPC (or, for outcomes too big to travel together, as few as
 * fit): the origin claims each RPC's outcomes in one storage commit. Each is
 * sent again while the origin cannot be reached, until its own deadline,
 * unless the origin refuses them (see {@link isRefusal}). Never rejects.
 */
export async function deliverAll(env: unknown, origin: OriginAddress, settlements: readonly (Settlement & { readonly deadline: number })[], label: string): Promise<void> {
  const sendable = await Promise.all(settlements.map(async (settlement) => ({ ...settlement, outcome: await deliverable(settlement) })));
  const slices = fittingSlices(sendable, ({ id, token, outcome }) => rpcSize({ id, token, outcome }));
  await Promise.all(slices.map((slice) => deliverSlice(env, origin, slice, label)));
}

async function deliverSlice(env: unknown, origin: OriginAddress, settlements: readonly (Settlement & { readonly deadline: number })[], label: string): Promise<void> {
  let pending = settlements;
  const sent = await untilDeadline(
    () => originStub(env, origin).__settleAll(pending.map(({ id, token, outcome }) => ({ id, token, outcome }))),
    () => {
      // Past its deadline, an outcome has been answered at the origin: stop carrying it.
      const now = Date.now();
      pending = pending.filter((settlement) => settlement.deadline > now);
      return pending.reduce((latest, settlement) => Math.max(latest, settlement.deadline), now);
    },
    isRefusal,
  );
  if (!sent.ok) {
    console.error(`[lumenize] ${label}: could not reach the origin (binding "${origin.binding}") to deliver ${settlements.length} outcome(s); their own deadlines will answer.`, sent.error);
  }
}

/**
 * The settlement's outcome, or, if the outcome with its id and token around
 * it would not fit in one RPC message, an Error outcome saying so: sent as it
 * is, it would fail every attempt until the deadline, and the continuation
 * would learn only that time ran out. (The door checks the outcome alone,
 * so this is a window of a few dozen bytes under the limit.)
 */
async function deliverable({ id, token, outcome }: Settlement): Promise<ChainOutcome> {
  // The larger of the two ways it travels: `__settleAll`'s array of objects.
  const tooBig = oversize([[{ id, token, outcome }]]);
  if (!tooBig) return outcome;
  return sealThrown([], new InvalidInputError(`The outcome of ${id} could not be delivered: with its id and token, ${tooBig}.`));
}
