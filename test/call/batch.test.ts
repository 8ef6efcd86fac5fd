/**
 * The calls a synchronous stretch makes to one target travel together, in
 * `__executeChains` RPCs of up to 100, and still behave like that many
 * separate RPCs: each its own outcome, in order, atomic under the input gate,
 * none held back by a slower one, none lost when the target crashes.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CallError, TimeoutError } from "../../lib";
import { ctn, getOperationChain, type OperationChain } from "../../lib/chains";
import { openOutcome, sealChain, type ChainEnvelope, type ChainOutcome } from "../../lib/envelope";
import type { GreeterWorker } from "../../examples/base-classes/greeter";
import type { GuardedDO } from "../fixtures/guarded";
import type { ProbeDO } from "../fixtures/probe";
import { freshProbe, inProbe } from "../harness";
import { deliveriesOf } from "./harness";

const chainOf = (proxy: unknown) => getOperationChain(proxy) as OperationChain;

describe("calls made together to one target", () => {
  it("travel in batches of at most 100, and each gets its own result", async () => {
    const caller = freshProbe("batch-caller");
    const target = freshProbe("batch-target");
    const results = await inProbe(caller.stub, (probe) =>
      Promise.all(Array.from({ length: 250 }, (_, i) => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(i)))),
    );
    expect(results).toEqual(Array.from({ length: 250 }, (_, i) => i * i));
    expect(await inProbe(target.stub, (probe) => probe.batches().slice())).toEqual([100, 100, 50]);
  });

  it("go one RPC each when made in different stretches, and a call alone is no batch", async () => {
    const caller = freshProbe("batch-alone");
    const target = freshProbe("batch-alone-target");
    const results = await inProbe(caller.stub, async (probe) => [
      await probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(2)),
      await probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(3)),
    ]);
    expect(results).toEqual([4, 9]);
    expect(await inProbe(target.stub, (probe) => probe.batches().slice())).toEqual([]);
  });

  it("each see their caller as this.lmz.caller", async () => {
    const caller = freshProbe("batch-who");
    const target = freshProbe("batch-who-target");
    const seen = await inProbe(caller.stub, (probe) =>
      Promise.all([1, 2].map(() => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().whoCalls()))),
    );
    expect(seen).toEqual([
      { callId: undefined, caller: caller.name },
      { callId: undefined, caller: caller.name },
    ]);
  });

  it("are each put to the target's onBeforeCall hook: one refused, the others run", async () => {
    const caller = freshProbe("batch-guarded");
    const guarded = env.GUARDED.getByName("batch-guarded-target");
    await guarded.close(["secret"]);
    const settled = await inProbe(caller.stub, async (probe) => {
      const outcomes = await Promise.allSettled([
        probe.lmz.callRaw("GUARDED", "batch-guarded-target", probe.ctn<GuardedDO>().work(1)),
        probe.lmz.callRaw("GUARDED", "batch-guarded-target", probe.ctn<GuardedDO>().secret()),
        probe.lmz.callRaw("GUARDED", "batch-guarded-target", probe.ctn<GuardedDO>().work(2)),
      ]);
      return outcomes.map((o) => (o.status === "fulfilled" ? o.value : `${(o.reason as Error).name}: ${(o.reason as Error).message}`));
    });
    expect(settled[0]).toBe(2);
    expect(settled[1]).toMatch(/^OperationChainError: .*refused by GuardedDO\.onBeforeCall\(\).*secret is closed to chains/);
    expect(settled[2]).toBe(4);
    expect(await guarded.runs()).toBe(2);
    expect((await guarded.seen()).map((seen) => seen.members)).toEqual([["work"], ["secret"], ["work"]]);
  });

  it("run on the target in the order they were made", async () => {
    const caller = freshProbe("batch-order");
    const target = freshProbe("batch-order-target");
    const tags = Array.from({ length: 60 }, (_, i) => `m${i}`);
    await inProbe(caller.stub, (probe) => Promise.all(tags.map((tag) => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().mark(tag)))));
    expect(await inProbe(target.stub, (probe) => probe.marks().slice())).toEqual(tags);
  });

  it("run before a call made to the same target in a later stretch, as separate RPCs would", async () => {
    const caller = freshProbe("batch-later");
    const target = freshProbe("batch-later-target");
    await inProbe(caller.stub, async (probe) => {
      const first = ["a1", "a2", "a3"].map((tag) => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().mark(tag)));
      await null;
      const then = probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().mark("b1"));
      await Promise.all([...first, then]);
    });
    expect(await inProbe(target.stub, (probe) => probe.marks().slice())).toEqual(["a1", "a2", "a3", "b1"]);
  });

  it("keep an awaited read-modify-write atomic, as the input gate keeps separate RPCs", async () => {
    const caller = freshProbe("batch-gate");
    const target = freshProbe("batch-gate-target");
    const counts = await inProbe(caller.stub, (probe) =>
      Promise.all(Array.from({ length: 50 }, () => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().increment("n")))),
    );
    // All started in one event, every chain would read 0 and write 1.
    expect(counts.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await inProbe(target.stub, (_probe, state) => state.storage.get("n"))).toBe(50);
    expect(await inProbe(target.stub, (probe) => probe.batches().slice())).toEqual([50]);
  });

  it("are not held back by a slower call in the same batch", async () => {
    const caller = freshProbe("batch-slow");
    const target = freshProbe("batch-slow-target");
    const { fastAfter, slowAfter, results } = await inProbe(caller.stub, async (probe) => {
      const started = Date.now();
      let fastAfter = 0;
      let slowAfter = 0;
      const slow = probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().sleepSquare(7, 1_500)).then((value) => ((slowAfter = Date.now() - started), value));
      const fast = probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(3)).then((value) => ((fastAfter = Date.now() - started), value));
      const results = await Promise.all([slow, fast]);
      return { fastAfter, slowAfter, results };
    });
    expect(results).toEqual([49, 9]);
    expect(fastAfter).toBeLessThan(1_000);
    expect(slowAfter).toBeGreaterThanOrEqual(1_500);
    expect(await inProbe(target.stub, (probe) => probe.batches().slice())).toEqual([2]);
  });

  it("bring home outcomes that finish at different times, each once, in as many answers as it takes", async () => {
    const caller = freshProbe("batch-waves");
    const target = freshProbe("batch-waves-target");
    const delays = Array.from({ length: 40 }, (_, i) => (i % 4) * 150);
    const results = await inProbe(caller.stub, (probe) =>
      Promise.all(delays.map((ms, i) => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().sleepSquare(i, ms)))),
    );
    expect(results).toEqual(delays.map((_, i) => i * i));
  });

  it("each fail on their own: a chain that throws fails its call only", async () => {
    const caller = freshProbe("batch-throws");
    const target = freshProbe("batch-throws-target");
    const settled = await inProbe(caller.stub, async (probe) => {
      const outcomes = await Promise.allSettled([
        probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(2)),
        probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().fail("bad email")),
        probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(3)),
      ]);
      return outcomes.map((o) => (o.status === "fulfilled" ? o.value : `${(o.reason as Error).name}: ${(o.reason as Error).message}`));
    });
    expect(settled).toEqual([4, "ValidationError: bad email", 9]);
  });

  it("time out on their own: a call still running gets its TimeoutError, the others their results, and nothing hangs", async () => {
    const caller = freshProbe("batch-timeout");
    const target = freshProbe("batch-timeout-target");
    const settled = await inProbe(caller.stub, async (probe) => {
      const outcomes = await Promise.allSettled([
        probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().sleep(3_000), { timeout: 300 }),
        probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().square(5)),
        probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().sleepSquare(6, 100)),
      ]);
      return outcomes.map((o) => (o.status === "fulfilled" ? o.value : o.reason));
    });
    expect(settled[0]).toBeInstanceOf(TimeoutError);
    expect(settled.slice(1)).toEqual([25, 36]);
  });

  it("bring home results that together are over 32 MiB, each whole", async () => {
    const caller = freshProbe("batch-big");
    const target = freshProbe("batch-big-target");
    const length = 12 * 1024 * 1024;
    const lengths = await inProbe(caller.stub, (probe) =>
      Promise.all([1, 2, 3].map(() => probe.lmz.callRaw("PROBE", target.name, probe.ctn<ProbeDO>().text(length)).then((text) => text.length))),
    );
    expect(lengths).toEqual([length, length, length]);
    expect(await inProbe(target.stub, (probe) => probe.batches().slice())).toEqual([3]);
  }, 30_000);

  it("each run their continuation once when the target crashes mid-batch, with a CallError for those the crash cut off", async () => {
    const caller = freshProbe("batch-crash");
    const target = freshProbe("batch-crash-target");
    await inProbe(caller.stub, (probe) => {
      for (const [i, remote] of [probe.ctn<ProbeDO>().square(1), probe.ctn<ProbeDO>().abortNow(), probe.ctn<ProbeDO>().sleepSquare(3, 200)].entries()) {
        probe.lmz.call("PROBE", target.name, remote, probe.ctn().record(remote, `call-${i}`), { timeout: 5_000 });
      }
    });
    const deliveries = await deliveriesOf(caller.stub, 3);
    expect(deliveries.map((d) => d.tag).sort()).toEqual(["call-0", "call-1", "call-2"]);
    const crashed = deliveries.find((d) => d.tag === "call-1")!.result;
    expect(crashed).toBeInstanceOf(CallError);
    expect((crashed as Error).message).toMatch(/Could not complete the call to "PROBE" instance "batch-crash-target-\d+" over RPC/);
    await scheduler.wait(300);
    expect(await inProbe(caller.stub, (probe) => probe.deliveries().length)).toBe(3);
  });

  it("to a host of a version before batches (no __executeChains) go one by one instead, and each gets its result", async () => {
    const caller = freshProbe("batch-old");
    const squares = await inProbe(caller.stub, (probe) =>
      Promise.all([2, 3, 4].map((n) => probe.lmz.callRaw("OLD_RECEIVER", "batch-old-target", probe.ctn<ProbeDO>().square(n)))),
    );
    expect(squares).toEqual([4, 9, 16]);
  });

  it("to a LumenizeWorker travel together too", async () => {
    const caller = freshProbe("batch-worker");
    const greetings = await inProbe(caller.stub, (probe) =>
      Promise.all(["Ada", "Grace", "Alan"].map((name) => probe.lmz.callRaw("GREETER", undefined, probe.ctn<GreeterWorker>().greet(name)))),
    );
    expect(greetings).toEqual(["Hello, Ada!", "Hello, Grace!", "Hello, Alan!"]);
  });
});

describe("the __executeChains door, called by anyone holding a stub", () => {
  const good = () => sealChain(chainOf(ctn<ProbeDO>().square(4)), {});

  it.each([
    ["not a list", "3:{}"],
    ["an empty list", []],
    // eslint-disable-next-line no-sparse-arrays
    ["a list with holes", [, "x"]],
    ["over 100 envelopes", Array.from({ length: 101 }, () => sealChain(chainOf(ctn<ProbeDO>().mark("ran")), {}))],
  ])("refuses %s with an InvalidInputError, running nothing", async (_, envelopes) => {
    const { stub } = freshProbe("batch-door-refuses");
    // Thrown in the object itself: over RPC the same InvalidInputError reaches the sender.
    const refusal = await inProbe(stub, (probe) => {
      try {
        void probe.__executeChains(envelopes as ChainEnvelope[]);
        return "accepted";
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    });
    expect(refusal).toMatch(/^InvalidInputError: Malformed chains: __executeChains takes an array of 1 to 100 envelopes/);
    expect(await inProbe(stub, (probe) => probe.marks().length)).toBe(0);
  });

  it("answers a malformed envelope or a forbidden chain with an Error for that chain only", async () => {
    const { stub } = freshProbe("batch-door-hostile");
    const door = stub as unknown as { __executeChains(envelopes: unknown): Promise<{ outcomes: ChainOutcome[]; later?: unknown }> };
    const reply = await door.__executeChains([good(), "garbage", sealChain([{ type: "get", key: "__proto__" }], {}), sealChain([{ type: "get", key: "ctx" }], {}), good()]);
    expect(reply.later).toBeUndefined();
    const opened = reply.outcomes.map((outcome) => {
      try {
        return openOutcome(outcome);
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(opened).toEqual([16, "InvalidInputError", "OperationChainError", "OperationChainError", 16]);
  });
});
