/**
 * The calls a synchronous stretch makes to one host leave together, in one
 * `__executeChains` RPC (up to 100 calls and 32 MiB each), at the stretch's
 * end: a Workers RPC costs far more than the chain it carries. A call alone
 * goes through `__executeChain`, which answers without waiting for a timer.
 * Each call still gets its own outcome, as soon as the target has it: an
 * outcome that was not ready when the batch was answered comes through the
 * reply's `later` stub, which the outbox asks until no call waits for it.
 */
import type { ChainDoor } from "../base";
import { MOST_CHAINS_PER_RPC, type LaterOutcomes } from "../base/batch-door";
import { collect, fittingSlices } from "../delivery/batch";
import { textSizeBound, type ChainEnvelope, type ChainOutcome } from "../envelope";

/** Where one call's outcome goes. */
export interface Receiver {
  /** The target's outcome for the call. */
  outcome(outcome: ChainOutcome): void;
  /** The RPC that carried the call failed (or the target answered nothing for it). */
  failure(error: unknown): void;
  /** Whether the call still waits (its timeout has not answered it). */
  readonly waiting: boolean;
}

interface Parcel {
  readonly envelope: ChainEnvelope;
  readonly receiver: Receiver;
}

/** A `later` as the caller holds it: a stub, to dispose once done with. */
type LaterStub = Pick<LaterOutcomes, "next"> & Disposable;

/**
 * Sends `envelope` to `stub` at the end of this synchronous stretch, with
 * the other calls `owner` makes to it meanwhile.
 */
export function send(owner: object, stub: ChainDoor, envelope: ChainEnvelope, receiver: Receiver): void {
  collect(owner, stub, { envelope, receiver }, (parcels) => dispatch(stub, parcels));
}

function dispatch(stub: ChainDoor, parcels: Parcel[]): void {
  for (const slice of fittingSlices(parcels, ({ envelope }) => textSizeBound(envelope), MOST_CHAINS_PER_RPC)) {
    if (slice.length === 1) sendOne(stub, slice[0]);
    else sendMany(stub, slice);
  }
}

function sendOne(stub: ChainDoor, { envelope, receiver }: Parcel): void {
  stub.__executeChain(envelope).then(
    (outcome) => receiver.outcome(outcome),
    (error: unknown) => receiver.failure(error),
  );
}

function sendMany(stub: ChainDoor, parcels: Parcel[]): void {
  stub.__executeChains(parcels.map(({ envelope }) => envelope)).then(
    (reply) => {
      // Read defensively: the target is another program, perhaps another version.
      const outcomes: unknown = reply?.outcomes;
      const later = reply?.later as LaterStub | undefined;
      const awaited = new Set<number>();
      parcels.forEach((parcel, index) => {
        const outcome = Array.isArray(outcomes) ? outcomes[index] : undefined;
        if (typeof outcome === "string") parcel.receiver.outcome(outcome as ChainOutcome);
        else awaited.add(index);
      });
      if (awaited.size > 0) void receiveLater(later, parcels, awaited);
      else later?.[Symbol.dispose]();
    },
    (error: unknown) => {
      // A host of a version before batches has `__executeChain` only. Nothing ran: send each there.
      if (lacksBatchDoor(error)) for (const parcel of parcels) sendOne(stub, parcel);
      else for (const { receiver } of parcels) receiver.failure(error);
    },
  );
}

/** Whether `error` is the platform saying the target has no `__executeChains` method. */
function lacksBatchDoor(error: unknown): boolean {
  return error instanceof TypeError && /does not implement (the method )?"__executeChains"/.test(error.message);
}

/** Asks `later` for the outcomes still `awaited` until none is, or no call waits for one. */
async function receiveLater(later: LaterStub | undefined, parcels: Parcel[], awaited: Set<number>): Promise<void> {
  try {
    if (!later) throw new Error("the target answered the batch without some of its outcomes, and gave no way to get them later");
    while (awaited.size > 0 && [...awaited].some((index) => parcels[index].receiver.waiting)) {
      const next = await later.next();
      if (!Array.isArray(next) || next.length === 0) throw new Error("the target sent every outcome it had, and some were missing");
      for (const [index, outcome] of next) {
        if (awaited.delete(index)) parcels[index].receiver.outcome(outcome);
      }
    }
  } catch (error) {
    for (const index of awaited) parcels[index].receiver.failure(error);
  } finally {
    later?.[Symbol.dispose]();
  }
}
