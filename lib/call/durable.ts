/**
 * Durable calls: `this.lmz.call(..., { durable: true })`. The continuation
 * survives the caller's eviction, crash or redeploy, and runs exactly once:
 * with the result, or with an Error in its place by the deadline.
 *
 * Design (see the "call" docs page for the measured trade-off):
 * - The caller stores the continuation as one pending outcome
 *   (`this.lmz.alarms.expect`: one row, its id the call id, its deadline
 *   `timeout` from now, riding the alarm). The platform holds outgoing
 *   messages until that write is durable (the output gate), so a remote
 *   never runs a call its caller could forget.
 * - It hands the chain to the remote's `__acceptChains` door with a
 *   {@link Delivery} (where the caller is, the outcome's token, the
 *   deadline); calls made to one remote in one synchronous stretch travel
 *   in one RPC. The remote answers at once which calls it took, runs them
 *   under its own `waitUntil`, and delivers the outcomes through the
 *   caller's `__settleAll` door (those ready together, together: one
 *   storage commit on the caller for all of them), again and again while
 *   the caller cannot be reached (restarting, say), until the deadline. So
 *   the caller waits only for the acknowledgement, and a caller that
 *   restarted is woken by the delivery itself.
 * - The first claim of the row wins: a delivery, a second delivery, the
 *   deadline (a `TimeoutError`) or a hand-over that failed for good (a
 *   `CallError`). Whatever comes later finds no row and changes nothing.
 * - At least once on the remote: a hand-over that fails without a clear
 *   refusal (the remote was reset, overloaded, unreachable) is sent again,
 *   and the remote may have run the first one. A remote method reached by
 *   a durable call reads the call id as `this.lmz.callId` to dedupe.
 * - Nothing re-sends a call whose hand-over the caller's own crash cut
 *   short before the remote took it, or whose remote crashed after taking
 *   it: the deadline
 *   answers those with a `TimeoutError`, once. Re-sending them would need
 *   the remote chain stored too, and a trigger to re-send on restart.
 */
import type { Alarms } from "../alarms";
import type { DurableDoor } from "../base";
import { describeChain, type OperationChain } from "../chains";
import { chainFrom } from "../chains/internal";
import { collect, fittingSlices, isRefusal, untilDeadline, type Delivery, type HandOver, type OriginAddress } from "../delivery";
import { rpcSize, sealChainAsync, type Address, type ChainEnvelope, type EnvelopeMeta, type Identity } from "../envelope";
import { describeThrown } from "../errors/internal";
import type { CallerHost } from "./caller";
import { CallError } from "./errors";
import { resolveTarget } from "./resolve";
import type { CallTarget } from "./types";
import { assertFits, describeAddress, sealNow } from "./wire";

/** What a Durable Object lends its `Caller` for durable calls. */
export interface DurableHost {
  /** Where continuations wait: the object's pending outcomes (`this.lmz.alarms`). */
  readonly outcomes: Pick<Alarms, "expect" | "settle">;
  /** Where deliveries reach this object, or `undefined` if no binding in its `env` does. */
  origin(): OriginAddress | undefined;
}

/** A durable call, validated. */
export interface DurableCall {
  readonly binding: string;
  readonly target: CallTarget;
  readonly remoteChain: OperationChain;
  /** The continuation, its result placeholder bound. */
  readonly continuationChain: OperationChain;
  /** Milliseconds. */
  readonly timeout: number;
}

/** A stored call waiting for its hand-over. */
interface Waiting {
  readonly call: DurableCall;
  readonly callId: string;
  /** What the envelope carries besides the chain; `callee`, how the call names its target, also goes into messages. */
  readonly meta: EnvelopeMeta & { readonly callee: Address };
  /** Sealed at the call site, or `undefined` when there are bodies to read first. */
  readonly envelope: ChainEnvelope | undefined;
  readonly delivery: Delivery;
}

/** A call ready to go, with its size on the wire. */
interface Ready {
  readonly waiting: Waiting;
  readonly handOver: HandOver;
  readonly size: number;
}

/** How a caller without storage is named in the refusal. */
const KINDS: Record<Identity["kind"], string> = { "durable-object": "this Durable Object", worker: "a Worker (LumenizeWorker)", "rpc-target": "an RpcTarget (LumenizeRpcTarget)" };

/** The largest time a Date can hold, in epoch milliseconds. */
const MAX_TIME = 8.64e15;
/** Calls per hand-over RPC: the remote takes each in the one request. */
const MAX_CALLS_PER_HANDOVER = 100;

/**
 * Stores the continuation, queues the hand-over, and returns the call id,
 * all synchronously.
 *
 * @throws {CallError} for a host that cannot store or be reached (not a
 *   Durable Object, or no binding in its `env` reaches it) and for a bad
 *   binding, target or timeout; nothing is stored or sent.
 * @throws {DataCloneError} for a remote argument or a continuation argument
 *   that cannot be serialized; nothing is stored or sent.
 */
export function callDurably(host: CallerHost, call: DurableCall): string {
  const durable = host.durable;
  if (!durable) {
    throw new CallError(
      `A durable call stores its continuation in the caller's SQLite, and ${KINDS[host.identity().kind]} has no storage: make durable calls from a LumenizeBase Durable Object, or leave out { durable: true }.`,
    );
  }
  const origin = durable.origin();
  if (!origin) {
    throw new CallError(
      "A durable call's outcome is delivered back through a Durable Object namespace binding that reaches the caller, and this object's env has none: bind its class in wrangler.jsonc (durable_objects.bindings), or leave out { durable: true }.",
    );
  }
  const { address } = resolveTarget(host.env, call.binding, call.target);
  const callId = crypto.randomUUID();
  const meta = { caller: host.identity(), callee: address, callId };
  // Sealed before anything is stored: an argument that cannot be sent leaves nothing behind.
  const envelope = sealNow(call.remoteChain, meta);
  if (envelope) assertFits(envelope, call.remoteChain);
  const deadline = Date.now() + call.timeout;
  if (deadline > MAX_TIME) throw new CallError(`Invalid timeout ${call.timeout}: a durable call's deadline must be a time a Date can hold. Give milliseconds, e.g. { timeout: 60_000 }.`);
  const timeoutMessage = `Durable call ${callId} to ${describeAddress(address)} (${describeChain(call.remoteChain)}) got no result within ${call.timeout} ms.`;
  // The one write. It also refuses a continuation argument that cannot be stored, before anything is sent.
  const { token } = durable.outcomes.expect(chainFrom(call.continuationChain), { id: callId, deadline, timeoutMessage });
  const waiting: Waiting = { call, callId, meta, envelope, delivery: { origin, token, deadline } };
  // The RPC leaves once the row is durable: the platform holds outgoing messages until writes commit.
  collect(host.self, `durable:${call.binding}:${targetKey(call.target)}`, waiting, (batch) => handOverAll(host, durable, batch), (work) => host.keepAlive?.(work));
  return callId;
}

/**
 * Hands over the calls made to one remote in one synchronous stretch: reads
 * bodies, then sends them in as few RPCs as fit. A call that cannot go, or
 * that the remote refuses, gets a `CallError` in place of its result now.
 * Never rejects.
 */
async function handOverAll(host: CallerHost, durable: DurableHost, batch: Waiting[]): Promise<void> {
  const ready: Ready[] = [];
  const failed: [Waiting, Error][] = [];
  await Promise.all(
    batch.map(async (waiting) => {
      try {
        const envelope = waiting.envelope ?? assertFits(await sealChainAsync(waiting.call.remoteChain, waiting.meta), waiting.call.remoteChain);
        const handOver = { envelope, delivery: waiting.delivery };
        ready.push({ waiting, handOver, size: rpcSize(handOver) });
      } catch (error) {
        // Reading a body failed, or the sealed chain is too big to send.
        failed.push([waiting, error instanceof Error ? error : new CallError(describeThrown(error), { cause: error })]);
      }
    }),
  );
  // In slices that each fit one RPC message, and the remote's appetite.
  const sent = await Promise.all(fittingSlices(ready, (item) => item.size, MAX_CALLS_PER_HANDOVER).map((slice) => handOver(host.env, slice)));
  await answer(host, durable, [...failed, ...sent.flat()]);
}

/**
 * Sends one slice to the remote's `__acceptChains` until it answers.
 * Resolves with the calls that did not go, each with the Error its
 * continuation gets: the remote's refusal of that call, a refusal of them
 * all (the remote's code threw: an old version without the door), or the
 * last failure once the deadline is near. Never rejects.
 */
async function handOver(env: unknown, slice: Ready[]): Promise<[Waiting, Error][]> {
  const { binding, target } = slice[0].waiting.call;
  const deadline = slice.reduce((latest, { waiting }) => Math.max(latest, waiting.delivery.deadline), 0);
  const handOvers = slice.map((ready) => ready.handOver);
  // A fresh stub per attempt: a stub that saw an exception may be broken.
  const sent = await untilDeadline(() => (resolveTarget(env, binding, target).stub as unknown as DurableDoor).__acceptChains(handOvers), () => deadline, isRefusal);
  const where = describeAddress(slice[0].waiting.meta.callee);
  const about = (waiting: Waiting) => `Durable call ${waiting.callId} to ${where} (${describeChain(waiting.call.remoteChain)})`;
  if (sent.ok) {
    const replies = Array.isArray(sent.value) ? sent.value : [];
    return slice.flatMap(({ waiting }, i): [Waiting, Error][] => {
      const reply: unknown = i < replies.length ? replies[i] : "the target gave no answer for it";
      return reply === null ? [] : [[waiting, new CallError(`${about(waiting)} was refused: ${String(reply)}. Nothing ran there.`)]];
    });
  }
  // Without its final full stop: the message goes on.
  const thrown = describeThrown(sent.error).replace(/\.$/, "");
  const old = /does not implement/.test(thrown);
  const why = isRefusal(sent.error)
    ? `was refused: ${thrown}. ${old ? "The target has no __acceptChains door: it must be a LumenizeBase or LumenizeWorker of a lumenize-do version with durable calls." : "Nothing ran there."}`
    : `could not be handed over before its deadline: ${thrown}. The target may have crashed or been reset (it may have run the chain), or be overloaded.`;
  return slice.map(({ waiting }) => [waiting, new CallError(`${about(waiting)} ${why}`, { cause: sent.error })]);
}

/** Gives each call that did not go its Error, in place of the result; then makes what the continuations wrote durable. */
async function answer(host: CallerHost, durable: DurableHost, failures: [Waiting, Error][]): Promise<void> {
  if (failures.length === 0) return;
  await Promise.all(failures.map(([waiting, error]) => durable.outcomes.settle(waiting.callId, waiting.delivery.token, error)));
  await host.flush?.();
}

/** The same remote, however it was named. */
function targetKey(target: CallTarget): string {
  return target === undefined ? "" : typeof target === "string" ? `name:${target}` : `id:${target.toString()}`;
}

