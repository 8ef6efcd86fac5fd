/**
 * Issue 13: durable calls, `call(..., { durable: true })`. What they
 * deliver, what they store, what the remote sees, and what is refused at the
 * call site with nothing stored or sent. The faults are in
 * durable-faults.test.ts, the scale test in durable-scale.test.ts.
 */
import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { openOutcome, oversize, RPC_MESSAGE_LIMIT, rpcSize, sealChain, sealOutcome, type ChainOutcome } from "../../lib/envelope";
import type { CallerNote, CallerProbeDO } from "../fixtures/caller-probe";
import type { ProbeDO } from "../fixtures/probe";
import { isClean, rowCount, storedState } from "../harness";
import { muteLogs } from "../logs";
import { waitForAtLeast } from "../wait";
import { freshProbe, inProbe, sleep } from "../harness";

muteLogs();

const durably = (stub: DurableObjectStub<ProbeDO>, count: number, timeout = 10_000) => waitForAtLeast(() => stub.durableDeliveries(), count, "continuations", timeout);

/** Waits until the caller holds no pending outcome and no platform alarm. */
const clean = (stub: DurableObjectStub<ProbeDO>) =>
  waitForAtLeast(async () => {
    const state = await storedState(stub);
    return isClean(state) ? [state] : [];
  }, 1, "clean callers");

describe("durable call", () => {
  it("runs the continuation once with the remote result, and leaves no row or alarm behind", async () => {
    const { stub } = freshProbe("durable-value");
    const target = freshProbe("durable-value-target").name;
    const callId = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(7);
      return probe.lmz.call("PROBE", target, remote, probe.ctn().recordDurably(remote, "square"), { durable: true });
    });
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await durably(stub, 1)).toEqual(["square: 49"]);
    await clean(stub);
    await sleep(200);
    expect(await stub.durableDeliveries()).toEqual(["square: 49"]);
  });

  it("stores one row, with the deadline on the platform alarm, while the call is in flight", async () => {
    const { stub } = freshProbe("durable-row");
    const target = freshProbe("durable-row-target").name;
    const seen = await runInDurableObject(stub, async (probe: ProbeDO, state) => {
      const before = Date.now();
      const remote = probe.ctn<ProbeDO>().sleep(300);
      probe.lmz.call("PROBE", target, remote, probe.ctn().recordDurably(remote, "slow"), { durable: true, timeout: 10_000 });
      return { rows: rowCount(state.storage.sql), alarm: (await state.storage.getAlarm()) ?? 0, before };
    });
    expect(seen.rows).toBe(1);
    expect(seen.alarm - seen.before).toBeGreaterThanOrEqual(10_000);
    expect(seen.alarm - seen.before).toBeLessThan(12_000);
    expect(await durably(stub, 1)).toEqual(['slow: "slept 300"']);
    await clean(stub);
  });

  it("brings home outcomes that finish together but would not fit in one RPC message together", async () => {
    const { stub } = freshProbe("durable-big-outcomes");
    const target = freshProbe("durable-big-outcomes-target").name;
    const length = 12 * 1024 * 1024;
    await inProbe(stub, (probe) => {
      for (const tag of ["a", "b", "c"]) {
        const remote = probe.ctn<ProbeDO>().text(length);
        probe.lmz.call("PROBE", target, remote, probe.ctn().recordDurably(remote, tag), { durable: true, timeout: 10_000 });
      }
    });
    expect((await durably(stub, 3, 15_000)).sort()).toEqual(["a", "b", "c"].map((tag) => `${tag}: ${length} characters`));
    await clean(stub);
  });

  it("delivers an InvalidInputError naming the limit for an outcome that fits alone but not with its delivery around it", async () => {
    const { stub } = freshProbe("durable-edge-outcome");
    const target = freshProbe("durable-edge-outcome-target").name;
    // The door lets an outcome through up to the limit; its id and token make the delivery a few dozen bytes bigger.
    const sample = 1 << 22;
    const overhead = rpcSize(sealOutcome([], "x".repeat(sample)) as ChainOutcome) - sample;
    const length = RPC_MESSAGE_LIMIT - overhead - 8;
    expect(oversize(sealOutcome([], "x".repeat(length)) as ChainOutcome)).toBeUndefined();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().text(length);
      probe.lmz.call("PROBE", target, remote, probe.ctn().recordDurably(remote, "edge"), { durable: true, timeout: 10_000 });
    });
    const [delivered] = await durably(stub, 1, 15_000);
    expect(delivered).toMatch(/^edge: InvalidInputError: The outcome of [0-9a-f-]{36} could not be delivered: with its id and token, it is [\d,]+ bytes in Workers RPC's encoding, over its limit of 33,554,432 bytes \(32 MiB\)/);
    await clean(stub);
  });

  it("delivers the Error the remote threw, name, message and cause kept", async () => {
    const { stub } = freshProbe("durable-error");
    const target = freshProbe("durable-error-target").name;
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().fail("bad email");
      probe.lmz.call("PROBE", target, remote, probe.ctn().record(remote, "fail"), { durable: true });
    });
    const [delivery] = await waitForAtLeast(() => inProbe(stub, (probe) => probe.deliveries().slice()), 1, "continuations");
    expect(delivery.result).toMatchObject({ name: "ValidationError", message: "bad email", field: "email", cause: { name: "TypeError", message: "underlying cause" } });
  });

  it("calls a LumenizeWorker through a service binding", async () => {
    const { stub } = freshProbe("durable-worker-target");
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<{ greet(name: string): string }>().greet("Ada");
      probe.lmz.call("GREETER", undefined, remote, probe.ctn().recordDurably(remote, "greet"), { durable: true });
    });
    expect(await durably(stub, 1)).toEqual(['greet: "Hello, Ada!"']);
  });

  it("gives the remote method the call id as this.lmz.callId, the same id call() returned", async () => {
    const { stub } = freshProbe("durable-id");
    const target = freshProbe("durable-id-target").name;
    const callId = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().whoCalls();
      return probe.lmz.call("PROBE", target, remote, probe.ctn().record(remote, "who"), { durable: true });
    });
    const [delivery] = await waitForAtLeast(() => inProbe(stub, (probe) => probe.deliveries().slice()), 1, "continuations");
    expect(delivery.result).toEqual({ callId, caller: expect.stringMatching(/^durable-id-\d/) });
  });

  it("leaves this.lmz.callId undefined for a call that is not durable, for plain RPC, and in continuations", async () => {
    const { stub } = freshProbe("durable-id-none");
    const target = freshProbe("durable-id-none-target");
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().whoCalls();
      probe.lmz.call("PROBE", target.name, remote, probe.ctn().record(remote, "plain"));
    });
    const [delivery] = await waitForAtLeast(() => inProbe(stub, (probe) => probe.deliveries().slice()), 1, "continuations");
    expect((delivery.result as { callId?: string }).callId).toBeUndefined();
    expect((await target.stub.whoCalls()).callId).toBeUndefined();

    // A method reached by a durable call makes a call of its own: its continuation sees neither caller nor call id.
    const relay = env.CALLER_PROBE.getByName(`durable-relay-${Date.now()}`);
    const callId = await inProbe(stub, (probe) => {
      const remote = probe.ctn<CallerProbeDO>().relayDurableCall(`${target.name}-2`, "inner");
      return probe.lmz.call("CALLER_PROBE", relay.id, remote, probe.ctn().record(remote, "relay"), { durable: true });
    });
    const notes = await waitForAtLeast(async () => (await relay.notes()) as CallerNote[], 1, "continuations");
    expect(notes).toEqual([{ tag: "inner", caller: undefined, callId: undefined }]);
    const relayed = await waitForAtLeast(() => inProbe(stub, (probe) => probe.deliveries().filter((d) => d.tag === "relay")), 1, "continuations");
    expect(relayed[0].result).toBe(callId);
  });

  it("keeps its doors, __acceptChains and __settleAll, out of reach of chains", async () => {
    const { stub } = freshProbe("durable-doors");
    for (const door of ["__acceptChains", "__settleAll"]) {
      const outcome = await stub.__executeChain(sealChain([{ type: "get", key: door }, { type: "apply", args: [{ value: [] }] }], {}));
      let thrown: unknown;
      try {
        openOutcome(outcome as ChainOutcome);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, door).toMatchObject({ name: "OperationChainError", message: expect.stringContaining(`"${door}"`) });
    }
  });

  it("tells onBeforeCall the call is durable, with its id", async () => {
    const { stub } = freshProbe("durable-hook");
    const guarded = env.GUARDED.getByName(`durable-hook-${Date.now()}`);
    const callId = await inProbe(stub, (probe) => {
      const remote = probe.ctn<{ work(n: number): number }>().work(4);
      return probe.lmz.call("GUARDED", guarded.id, remote, probe.ctn().recordDurably(remote, "work"), { durable: true });
    });
    expect(await durably(stub, 1)).toEqual(["work: 8"]);
    expect(await guarded.seen()).toMatchObject([{ members: ["work"], callId, durable: true }]);
  });
});

describe("durable call: refused at the call site, nothing stored or sent", () => {
  /** Runs `attempt` in a fresh caller; returns what it threw, the caller's rows after, and the target's stub. */
  async function refused(attempt: (probe: ProbeDO, target: string) => unknown) {
    const { stub } = freshProbe("durable-refused");
    const target = freshProbe("durable-refused-target");
    const thrown = await inProbe(stub, (probe) => {
      try {
        attempt(probe, target.name);
      } catch (error) {
        return error as Error;
      }
      return undefined;
    });
    const rows = await runInDurableObject(stub, (_probe: ProbeDO, state) => rowCount(state.storage.sql));
    return { thrown, rows, target: target.stub, caller: stub };
  }

  it("refuses a continuation argument that cannot be stored", async () => {
    const { thrown, rows, target } = await refused((probe, target) => {
      const remote = probe.ctn<ProbeDO>().recordDurably("ran", "remote");
      probe.lmz.call("PROBE", target, remote, probe.ctn().explode(remote, (() => 1) as never), { durable: true });
    });
    expect(thrown).toMatchObject({ name: "DataCloneError" });
    expect(rows).toBe(0);
    await sleep(300);
    expect(await target.durableDeliveries()).toEqual([]);
  });

  it("refuses a remote argument that cannot be sent", async () => {
    const { thrown, rows } = await refused((probe, target) => {
      const remote = probe.ctn<ProbeDO>().echo(Symbol("nope"));
      probe.lmz.call("PROBE", target, remote, probe.ctn().record(remote, "x"), { durable: true });
    });
    expect(thrown).toMatchObject({ name: "DataCloneError" });
    expect(rows).toBe(0);
  });

  it("refuses an unknown binding, a continuation without the remote chain, a bad durable flag or timeout", async () => {
    /** `square(1)` on `target`, recorded by a continuation, with what a case changes. */
    const call = (probe: ProbeDO, target: string, change: { binding?: string; options?: object; unbound?: boolean }) => {
      const remote = probe.ctn<ProbeDO>().square(1);
      const continuation = probe.ctn().record(change.unbound ? 1 : remote, "x");
      return probe.lmz.call(change.binding ?? "PROBE", target, remote, continuation, { durable: true, ...change.options });
    };
    const cases: [string, { binding?: string; options?: object; unbound?: boolean }, RegExp][] = [
      ["binding", { binding: "NOPE" }, /Unknown binding "NOPE"/],
      ["placeholder", { unbound: true }, /no result placeholder/],
      ["flag", { options: { durable: "yes" } }, /Invalid durable option yes/],
      ["timeout", { options: { timeout: 1e20 } }, /Invalid timeout 1\d{20}: a durable call's deadline must be a time a Date can hold/],
    ];
    for (const [what, change, message] of cases) {
      const { thrown, rows } = await refused((probe, target) => call(probe, target, change));
      expect(thrown, what).toMatchObject({ name: "CallError", message: expect.stringMatching(message) });
      expect(rows, what).toBe(0);
    }
  });

  it("refuses callRaw with durable: a Promise cannot survive a restart", async () => {
    const { thrown } = await refused((probe, target) => probe.lmz.callRaw("PROBE", target, probe.ctn<ProbeDO>().square(2), { durable: true } as never));
    expect(thrown).toMatchObject({ name: "CallError", message: expect.stringMatching(/callRaw\(\) cannot be durable/) });
  });

  it("refuses a durable call from a Worker or an RpcTarget, which have no storage", async () => {
    const { name, stub } = freshProbe("durable-from-worker");
    expect(await exports.ProbeWorker.tryDurableCall(name)).toMatch(/^CallError: A durable call stores its continuation in the caller's SQLite, and a Worker \(LumenizeWorker\) has no storage/);
    using target = await exports.ProbeWorker.target();
    expect(await target.tryDurableCall()).toMatch(/^CallError: .* an RpcTarget \(LumenizeRpcTarget\) has no storage/);
    await sleep(200);
    expect(await inProbe(stub, (probe) => probe.deliveries())).toEqual([]);
  });

  it("gives the continuation a CallError, at once, when the target has no __acceptChains door (an older version)", async () => {
    const { stub } = freshProbe("durable-old");
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(3);
      probe.lmz.call("OLD_RECEIVER", "old", remote, probe.ctn().recordDurably(remote, "old"), { durable: true, timeout: 60_000 });
    });
    const [line] = await durably(stub, 1);
    expect(line).toMatch(/^old: CallError: Durable call [0-9a-f-]+ to "OLD_RECEIVER" instance "old" \(square\(…\)\) was refused: TypeError: The RPC receiver does not implement "__acceptChains"\. The target has no __acceptChains door/);
    await clean(stub);
  });
});
