/**
 * Experiment 1: `call` against raw Workers RPC.
 *
 * One caller DO fires `size` operations at one target DO, all at once, four
 * ways: plain `stub.square(i)` RPC (the baseline), `this.lmz.callRaw`,
 * `this.lmz.call` (one round trip, the shipped design) and fire-and-forget
 * (the other design, built here only: the target acknowledges at once, runs
 * the chain, then calls the caller back with its continuation and result).
 * `params.delayMs` makes the remote method await that long first, as a
 * remote doing I/O would.
 *
 * Below the experiment methods: a breakdown of where a call's extra time
 * goes, and durable calls against the two above.
 */
import { bindResult, executeOperationChain, fillPlaceholders, getOperationChain, LumenizeBase, type OperationChain } from "../../lib";
import { chainFrom } from "../../lib/chains/internal";
import { openEnvelope, openOutcome, sealChain, sealOutcome, type ChainEnvelope, type ChainOutcome } from "../../lib/envelope";
import { postprocess, preprocessSync, type Intermediate } from "../../lib/structured-clone";
import { Deadlines, type Waiter } from "../../lib/call/deadlines";
import { ExperimentController, type Batch, type Outcome } from "./controller";
import type { BenchEnv } from "./env";

/** Where a fire-and-forget target sends its answer. */
interface ReplyTo {
  readonly binding: "CALL_BENCH";
  readonly name: string;
}

/** The remote side: a plain LumenizeBase DO with one cheap method. */
export class BenchTargetDO extends LumenizeBase<BenchEnv> {
  square(n: number): number {
    return n * n;
  }

  /** `square` after awaiting `delayMs`, like a method that does I/O first. */
  async slowSquare(n: number, delayMs: number): Promise<number> {
    await scheduler.wait(delayMs);
    return n * n;
  }

  /** Plain RPC carrying what a call carries: an envelope in, an outcome out, with none of the door's work. */
  answerUnopened(_envelope: ChainEnvelope): ChainOutcome {
    return OUTCOME_OF_NINE;
  }

  /**
   * Fire-and-forget, as the other design would build it into the door: accept
   * the chain and return at once; later run it and send the continuation, with
   * the result in its placeholder, to the caller's `__executeChain`.
   */
  acceptChain(envelope: ChainEnvelope, continuation: Intermediate, replyTo: ReplyTo): void {
    this.ctx.waitUntil(this.#runAndReply(envelope, continuation, replyTo));
  }

  async #runAndReply(envelope: ChainEnvelope, continuation: Intermediate, replyTo: ReplyTo): Promise<void> {
    let result: unknown;
    try {
      result = await executeOperationChain(openEnvelope(envelope).chain, this);
    } catch (error) {
      result = error;
    }
    const chain = fillPlaceholders(postprocess(continuation) as OperationChain, result);
    const origin = this.env[replyTo.binding].getByName(replyTo.name);
    await origin.__executeChain(sealChain(chain, { caller: this.lmz.identity, callee: replyTo }));
  }
}

const TARGET = "target";

/** The outcome the door sends back for `square(3)`. */
const OUTCOME_OF_NINE = sealOutcome([], 9) as ChainOutcome;

/** The target of operation `i`: the one target, or with `params.remotes`, one of that many. */
function targetOf(i: number, params: Params): string {
  return params.remotes ? `${TARGET}-${i % Number(params.remotes)}` : TARGET;
}

type Params = Readonly<Record<string, unknown>>;

// -----------------------------------------------------------------------------
// Experiment methods: each fires `size` squares at once and resolves when
// every result is home. `phases.callerBusy` is how long the caller waited
// with work in flight: until the last result, or, for fire-and-forget, the
// last acknowledgement.
// -----------------------------------------------------------------------------

export class CallBenchDO extends ExperimentController<BenchEnv> {
  /** Baseline: plain Workers RPC, `await stub.square(i)`. */
  async viaRpc(size: number, params: Params): Promise<Outcome> {
    const delayMs = Number(params.delayMs ?? 0);
    const one = params.remotes ? undefined : this.env.BENCH_TARGET.getByName(TARGET);
    return settleAll(
      Array.from({ length: size }, (_, i) => {
        const target = one ?? this.env.BENCH_TARGET.getByName(targetOf(i, params));
        return delayMs ? target.slowSquare(i, delayMs) : target.square(i);
      }),
    );
  }

  /** `this.lmz.callRaw`: the chain through the door, awaited. */
  async viaCallRaw(size: number, params: Params): Promise<Outcome> {
    return settleAll(Array.from({ length: size }, (_, i) => this.lmz.callRaw("BENCH_TARGET", TARGET, this.#remote(i, params))));
  }

  /**
   * `callRaw`, each call made in a synchronous stretch of its own, so that
   * none travels with another: its own stub and its own RPC, as calls made
   * between awaits or to many targets are.
   */
  async viaCallRawApart(size: number, params: Params): Promise<Outcome> {
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < size; i++) {
      calls.push(this.lmz.callRaw("BENCH_TARGET", TARGET, this.#remote(i, params)));
      await null;
    }
    return settleAll(calls);
  }

  /** `this.lmz.call` as {@link viaCallRawApart} makes them: one RPC each. */
  async viaCallApart(size: number, params: Params): Promise<Outcome> {
    const batch = this.openBatch(size);
    for (let i = 0; i < size; i++) {
      const remote = this.#remote(i, params);
      this.lmz.call("BENCH_TARGET", TARGET, remote, this.ctn().arrived(remote, batch.id));
      await null;
    }
    return batch.done;
  }

  /** `this.lmz.call`: one round trip, then the continuation runs here. */
  async viaCall(size: number, params: Params): Promise<Outcome> {
    const started = Date.now();
    const batch = this.openBatch(size);
    for (let i = 0; i < size; i++) {
      const remote = this.#remote(i, params);
      this.lmz.call("BENCH_TARGET", TARGET, remote, this.ctn().arrived(remote, batch.id));
    }
    const outcome = await batch.done;
    return { ...outcome, phases: { callerBusy: Date.now() - started } };
  }

  /** Fire-and-forget: one RPC out (acknowledged at once), one RPC back with the result. */
  async viaFireAndForget(size: number, params: Params): Promise<Outcome> {
    const started = Date.now();
    const batch = this.openBatch(size);
    const target = this.env.BENCH_TARGET.getByName(TARGET);
    const replyTo: ReplyTo = { binding: "CALL_BENCH", name: this.ctx.id.name ?? "" };
    const acks: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const remote = this.#remote(i, params);
      const remoteChain = getOperationChain(remote)!;
      const continuation = bindResult(getOperationChain(this.ctn().arrived(remote, batch.id))!, remoteChain);
      const envelope = sealChain(remoteChain, { caller: this.lmz.identity, callee: { binding: "BENCH_TARGET", name: TARGET } });
      acks.push(target.acceptChain(envelope, preprocessSync(continuation), replyTo));
    }
    await Promise.all(acks);
    const callerBusy = Date.now() - started;
    const outcome = await batch.done;
    return { ...outcome, phases: { callerBusy } };
  }

  #remote(i: number, params: Params) {
    const delayMs = Number(params.delayMs ?? 0);
    return delayMs ? this.ctn<BenchTargetDO>().slowSquare(i, delayMs) : this.ctn<BenchTargetDO>().square(i);
  }

  // ---------------------------------------------------------------------------
  // Breakdown: where a call's extra time goes.
  // ---------------------------------------------------------------------------

  /** Plain RPC, but carrying a call's payloads: an envelope out, an outcome back. */
  async viaRpcWithCallPayload(size: number): Promise<Outcome> {
    const target = this.env.BENCH_TARGET.getByName(TARGET);
    const remoteChain = getOperationChain(this.ctn<BenchTargetDO>().square(3))!;
    const envelope = sealChain(remoteChain, { caller: this.lmz.identity, callee: { binding: "BENCH_TARGET", name: TARGET }, callId: crypto.randomUUID() });
    return settleAll(Array.from({ length: size }, () => target.answerUnopened(envelope)));
  }

  /**
   * Each JavaScript step of a call (both ends), run `size` times on its own
   * with no RPC; `phases` holds each step's total milliseconds.
   */
  async steps(size: number): Promise<Outcome> {
    const phases: Record<string, number> = {};
    const time = async (name: string, step: (i: number) => unknown): Promise<void> => {
      const started = Date.now();
      for (let i = 0; i < size; i++) await step(i);
      phases[name] = Date.now() - started;
    };
    const meta = { caller: this.lmz.identity, callee: { binding: "CALL_BENCH", name: "x" }, callId: crypto.randomUUID() };
    const remoteChain = getOperationChain(this.ctn<CallBenchDO>().square(3))!;
    const envelope = sealChain(remoteChain, meta);
    const outcome = await sealOutcome(remoteChain, Promise.resolve(9));
    const continuation = bindResult(getOperationChain(this.ctn().arrived(this.ctn<CallBenchDO>().square(3), "x"))!, remoteChain);
    await time("record chains", (i) => {
      const remote = this.ctn<CallBenchDO>().square(i);
      return bindResult(getOperationChain(this.ctn().arrived(remote, "x"))!, getOperationChain(remote)!);
    });
    await time("seal envelope", () => sealChain(remoteChain, meta));
    await time("open envelope", () => openEnvelope(envelope));
    await time("execute chain", () => executeOperationChain(remoteChain, this, { caller: meta.caller }));
    await time("seal outcome", () => sealOutcome(remoteChain, 9));
    await time("open outcome", () => openOutcome(outcome));
    // As in a batch: every call's timeout starts, then each settles; one timer serves them all.
    const deadlines = new Deadlines();
    const waiters: Waiter[] = [];
    await time("start timeout", (i) => (waiters[i] = deadlines.add(30_000, () => {})));
    await time("settle timeout", (i) => deadlines.settle(waiters[i]));
    await time("run continuation", () => executeOperationChain(continuation, this, { result: 9 }));
    // What a chain that travelled in a batch waits for at the target before it starts: a turn of the event loop.
    await time("own event", () => new Promise((resolve) => setTimeout(resolve, 0)));
    return { completed: size, phases };
  }

  /** What `steps` executes: a method of this DO. */
  square(n: number): number {
    return n * n;
  }

  // ---------------------------------------------------------------------------
  // Durable calls (issue 13): `phases.callerBusy` is how long this caller had
  // work in flight that kept it from hibernating (until the last result for a
  // call, the last acknowledgement for a durable call); `phases.rowsWritten`
  // is what its SQLite counted as written, and `phases.alarmWrites` how often
  // it set or deleted its platform alarm, for the whole batch.
  // ---------------------------------------------------------------------------

  /** `this.lmz.call(..., { durable: true })`: one row, a hand-over, a delivery back through `__settle`. */
  async viaDurableCall(size: number, params: Params): Promise<Outcome> {
    return this.#watched(size, (batch) => {
      for (let i = 0; i < size; i++) {
        const remote = this.#remote(i, params);
        this.lmz.call("BENCH_TARGET", targetOf(i, params), remote, this.ctn().arrived(remote, batch.id), { durable: true });
      }
    });
  }

  /** `call` (in memory), watched like the durable variants. */
  async viaCallWatched(size: number, params: Params): Promise<Outcome> {
    return this.#watched(size, (batch) => {
      for (let i = 0; i < size; i++) {
        const remote = this.#remote(i, params);
        this.lmz.call("BENCH_TARGET", targetOf(i, params), remote, this.ctn().arrived(remote, batch.id));
      }
    });
  }

  /**
   * The other way to bring a durable call's outcome home, built here only:
   * the same row, but the caller awaits the door's reply (one round trip)
   * and settles its own row. Surviving a restart would also need the remote
   * chain stored and a re-send on restart; only the happy path is measured.
   */
  async viaDurableRoundTrip(size: number, params: Params): Promise<Outcome> {
    return this.#watched(size, (batch) => {
      for (let i = 0; i < size; i++) {
        const target = this.env.BENCH_TARGET.getByName(targetOf(i, params)) as unknown as { __executeChain(envelope: ChainEnvelope): Promise<ChainOutcome> };
        const remote = this.#remote(i, params);
        const remoteChain = getOperationChain(remote)!;
        const continuation = chainFrom(bindResult(getOperationChain(this.ctn().arrived(remote, batch.id))!, remoteChain));
        const { id, token } = this.lmz.alarms.expect(continuation, { deadline: Date.now() + 30_000 });
        const reply = target.__executeChain(sealChain(remoteChain, { caller: this.lmz.identity, callee: { binding: "BENCH_TARGET", name: targetOf(i, params) }, callId: id }));
        this.ctx.waitUntil(reply.then((outcome) => this.lmz.alarms.settle(id, token, valueOrError(outcome))));
      }
    });
  }

  /**
   * Runs `fire`, then waits for the batch. Meanwhile counts what this object
   * keeps alive (`ctx.waitUntil`: the library's calls in flight and
   * hand-overs), the rows its SQLite writes and its platform alarm writes,
   * by wrapping them for the batch only.
   */
  async #watched(size: number, fire: (batch: Batch) => void): Promise<Outcome> {
    const kept: Promise<unknown>[] = [];
    const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
    let alarmWrites = 0;
    const { ctx } = this;
    const { storage } = ctx;
    const sql = storage.sql;
    const { waitUntil } = ctx;
    const { exec } = sql;
    const { setAlarm, deleteAlarm } = storage;
    ctx.waitUntil = (work) => {
      kept.push(work);
      waitUntil.call(ctx, work);
    };
    sql.exec = ((query: string, ...bindings: unknown[]) => {
      const cursor = exec.call(sql, query, ...bindings);
      cursors.push(cursor);
      return cursor;
    }) as typeof sql.exec;
    storage.setAlarm = (...args) => {
      alarmWrites++;
      return setAlarm.apply(storage, args);
    };
    storage.deleteAlarm = (...args) => {
      alarmWrites++;
      return deleteAlarm.apply(storage, args);
    };
    const started = Date.now();
    let busyUntil = started;
    try {
      const batch = this.openBatch(size);
      fire(batch);
      const watchedWork = Promise.all(kept.map((work) => work.finally(() => (busyUntil = Math.max(busyUntil, Date.now())))));
      const outcome = await batch.done;
      await watchedWork;
      const rowsWritten = cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
      return { ...outcome, phases: { callerBusy: busyUntil - started, rowsWritten, alarmWrites } };
    } finally {
      ctx.waitUntil = waitUntil;
      sql.exec = exec;
      storage.setAlarm = setAlarm;
      storage.deleteAlarm = deleteAlarm;
    }
  }
}

/** What `__settle` would make of an outcome: its value, or its Error. */
function valueOrError(outcome: ChainOutcome): unknown {
  try {
    return openOutcome(outcome);
  } catch (error) {
    return error;
  }
}

async function settleAll(work: Promise<unknown>[]): Promise<Outcome> {
  const started = Date.now();
  const results = await Promise.allSettled(work);
  const completed = results.filter((result) => result.status === "fulfilled").length;
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  return {
    completed,
    failed: results.length - completed,
    phases: { callerBusy: Date.now() - started },
    ...(rejected ? { firstError: String(rejected.reason) } : {}),
  };
}
