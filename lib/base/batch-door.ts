/**
 * `__executeChains`: the door through which `call` and `callRaw` send the
 * calls that one synchronous stretch makes to one host, in one RPC. A Workers
 * RPC costs far more than running a small chain, so this is where most of a
 * call's time went (see the "call" docs page for the measured figures).
 *
 * Two things keep a batch behaving like that many separate RPCs:
 * - Each chain starts in an event of its own (a zero-delay timer), in order,
 *   and a chain arriving later through `__executeChain` waits behind them.
 *   While a chain awaits storage, the platform's input gate holds the next
 *   one back, as it would hold back the next RPC, so a read-modify-write
 *   over `await ctx.storage.get()` stays atomic.
 * - The reply carries the outcomes ready once every chain has started; a
 *   chain still awaiting I/O sends its outcome later, through the reply's
 *   `later` stub, so that a slow chain holds back no other.
 */
import { RpcTarget } from "cloudflare:workers";
import { isDenseArray } from "../chains/internal";
import { rpcSize, RPC_MESSAGE_LIMIT, sealThrown, textSizeBound, type Address, type ChainOutcome } from "../envelope";
import { InvalidInputError } from "../errors";
import { openDoor } from "./door";

/**
 * How many chains of batches wait for their timer on each host. A chain that
 * arrives alone meanwhile waits behind them, as it would have behind the
 * separate RPCs they stand for.
 */
const unstarted = new WeakMap<object, number>();

/**
 * `__executeChain`: {@link openDoor} now, or, while chains of a batch that
 * arrived earlier wait for their turn, in a turn after theirs.
 */
export function openDoorInTurn(host: object, envelope: unknown, learn?: (address: Address) => void): ChainOutcome | Promise<ChainOutcome> {
  if (!unstarted.get(host)) return openDoor(host, envelope, learn);
  return new Promise((resolve) => startInTurn(host, () => resolve(openDoor(host, envelope, learn))));
}

/** Runs `start` in a zero-delay timer: after the chains already waiting on `host`, and before any that arrive later. */
function startInTurn(host: object, start: () => void): void {
  unstarted.set(host, (unstarted.get(host) ?? 0) + 1);
  setTimeout(() => {
    unstarted.set(host, unstarted.get(host)! - 1);
    start();
  }, 0);
}

/** The most chains one `__executeChains` RPC takes: their CPU time shares one invocation's. */
export const MOST_CHAINS_PER_RPC = 100;

/** What `__executeChains` answers. */
export interface ChainsReply {
  /** Per chain, in the order sent: its outcome, or `null` if it comes through `later`. */
  readonly outcomes: (ChainOutcome | null)[];
  /** Where the outcomes not yet in `outcomes` come from; absent when there are none. */
  readonly later?: LaterOutcomes;
}

/**
 * Runs each of `envelopes` as {@link openDoor} would, each in an event of its
 * own, and answers with their outcomes (see the module comment). Never
 * rejects; a malformed envelope gets an Error outcome like any failure.
 *
 * @throws {InvalidInputError} if `envelopes` is not an array of at most
 *   {@link MOST_CHAINS_PER_RPC}; nothing runs.
 */
export function openDoors(host: object, envelopes: unknown, learn?: (address: Address) => void, keepAlive?: (work: Promise<unknown>) => void): Promise<ChainsReply> {
  if (!isDenseArray(envelopes) || envelopes.length === 0 || envelopes.length > MOST_CHAINS_PER_RPC) {
    throw new InvalidInputError(`Malformed chains: __executeChains takes an array of 1 to ${MOST_CHAINS_PER_RPC} envelopes, with no holes, as this.lmz.call and callRaw send.`);
  }
  return new Promise((reply) => {
    const batch = new Outcomes(envelopes.length, reply);
    const settle = (index: number, outcome: ChainOutcome): void => {
      const size = textSizeBound(outcome);
      if (size <= REPLY_BUDGET) batch.settle(index, outcome, size);
      // Neither sealThrown nor openDoor rejects.
      else void sealThrown([], tooBigToReply(outcome)).then((refusal) => batch.settle(index, refusal, textSizeBound(refusal)));
    };
    const last = envelopes.length - 1;
    envelopes.forEach((envelope, index) =>
      startInTurn(host, () => {
        const outcome = openDoor(host, envelope, learn);
        if (outcome instanceof Promise) void outcome.then((later) => settle(index, later));
        else settle(index, outcome);
        // Timers of one delay fire in the order set, so every chain has started now. One more turn, and the
        // chains that awaited only microtasks or storage are done too.
        if (index === last) setTimeout(() => batch.answer(), 0);
      }),
    );
    keepAlive?.(batch.allSettled);
  });
}

/**
 * The batch's outcomes, settled but not yet sent, and how many are still to
 * send. Each reply or `next()` takes as many as fit in one RPC message.
 */
class Outcomes {
  readonly allSettled: Promise<void>;
  readonly #reply: (reply: ChainsReply) => void;
  #unsettled: number;
  #unsent: number;
  #replied = false;
  /** Settled and not yet sent: index, outcome, and its size bound. */
  #ready: [number, ChainOutcome, number][] = [];
  #changed: Promise<void>;
  #wake!: () => void;
  #settledAll!: () => void;

  constructor(count: number, reply: (reply: ChainsReply) => void) {
    this.#reply = reply;
    this.#unsettled = this.#unsent = count;
    this.#changed = this.#nextChange();
    this.allSettled = new Promise((resolve) => (this.#settledAll = resolve));
  }

  settle(index: number, outcome: ChainOutcome, size: number): void {
    this.#ready.push([index, outcome, size]);
    if (--this.#unsettled === 0) {
      this.#settledAll();
      this.answer();
    }
    this.#wake();
  }

  /** Sends the reply, once: what is ready and fits, and `later` for the rest. */
  answer(): void {
    if (this.#replied) return;
    this.#replied = true;
    const outcomes: (ChainOutcome | null)[] = new Array(this.#unsent).fill(null);
    for (const [index, outcome] of this.take()) outcomes[index] = outcome;
    this.#reply(this.#unsent === 0 ? { outcomes } : { outcomes, later: new LaterOutcomes(this) });
  }

  /** Outcomes that are ready, as many as fit one message (at least one, if any is ready). */
  take(): [number, ChainOutcome][] {
    const taken: [number, ChainOutcome][] = [];
    let bytes = 0;
    while (this.#ready.length > 0) {
      const [index, outcome, size] = this.#ready[0];
      // Every outcome fits alone (see settle above); more must fit with it.
      if (taken.length > 0 && bytes + size > REPLY_BUDGET) break;
      this.#ready.shift();
      taken.push([index, outcome]);
      bytes += size;
    }
    this.#unsent -= taken.length;
    return taken;
  }

  /** Resolves with the next outcomes to send, once at least one is ready; `[]` once all were sent. */
  async next(): Promise<[number, ChainOutcome][]> {
    while (this.#ready.length === 0 && this.#unsent > 0) await this.#changed;
    return this.take();
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#changed = this.#nextChange();
        resolve();
      };
    });
  }
}

/**
 * The outcomes of a batch's chains that were still running when it was
 * answered, handed to the caller as a stub. The caller asks for the next
 * until it has all it waits for, then drops the stub.
 */
export class LaterOutcomes extends RpcTarget {
  readonly #outcomes: Outcomes;

  constructor(outcomes: Outcomes) {
    super();
    this.#outcomes = outcomes;
  }

  /** Resolves, once at least one is ready, with the next `[index, outcome]` pairs; `[]` once every outcome was sent. */
  next(): Promise<[number, ChainOutcome][]> {
    return this.#outcomes.next();
  }
}

/** Room left in one message for the outcomes, after the reply's own few bytes. */
const REPLY_BUDGET = RPC_MESSAGE_LIMIT - 1024;

/** Why an outcome that fits alone (the door checked) goes back as an Error instead: no room for a reply around it. */
function tooBigToReply(outcome: ChainOutcome): InvalidInputError {
  return new InvalidInputError(
    `The outcome could not be sent back: it is ${rpcSize(outcome).toLocaleString("en-US")} bytes in Workers RPC's encoding, within 1 KiB of its limit of ${RPC_MESSAGE_LIMIT.toLocaleString("en-US")} bytes (32 MiB), with no room left for the reply around it. Return less.`,
  );
}
