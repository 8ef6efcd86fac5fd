import { describe, expect, it, vi } from "vitest";
import { TimeoutError } from "../../lib";
import type { GreeterWorker } from "../../examples/base-classes/greeter";
import type { ProbeDO } from "../fixtures/probe";
import { freshProbe, inProbe, sleep } from "../harness";
import { deliveriesOf } from "./harness";

describe("call delivers the result to the continuation", () => {
  it("runs the continuation once with the remote result", async () => {
    const { stub } = freshProbe();
    const target = freshProbe("target").name;
    const callId = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(7);
      return probe.lmz.call("PROBE", target, remote, probe.ctn().record(remote, "square"));
    });
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await deliveriesOf(stub, 1)).toEqual([{ tag: "square", result: 49 }]);
  });

  it("runs nested chains in the remote arguments on the remote side", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(probe.ctn<ProbeDO>().square(3));
      probe.lmz.call("PROBE", "nested-target", remote, probe.ctn().record(remote, "nested"));
    });
    expect((await deliveriesOf(stub, 1))[0].result).toBe(81);
  });

  it("brings rich results home intact: Map, Set, Date, typed array, Error value, cycle", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().rich();
      probe.lmz.call("PROBE", "rich-target", remote, probe.ctn().record(remote, "rich"));
    });
    const [{ result }] = await deliveriesOf(stub, 1);
    const rich = result as { map: Map<unknown, unknown>; bytes: Uint8Array; error: Error; node: { self: unknown } };
    expect(rich.map.get("when")).toEqual(new Date(0));
    expect(rich.map.get(1)).toEqual(new Set([1, 2]));
    expect(rich.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(rich.error).toBeInstanceOf(RangeError);
    expect(rich.error.message).toBe("kept as a value");
    expect(rich.node.self).toBe(rich.node);
  });

  it("reaches a LumenizeWorker through a service binding and an RpcTarget it returns", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<GreeterWorker>().makeGreeting("fr").say("Ada");
      probe.lmz.call("GREETER", undefined, remote, probe.ctn().record(remote, "greet"));
    });
    expect((await deliveriesOf(stub, 1))[0].result).toBe("Bonjour, Ada!");
  });

  it("keeps the caller's input gate open while a call is in flight", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().sleep(300);
      probe.lmz.call("PROBE", "gate-target", remote, probe.ctn().record(remote, "slow"));
    });
    // Another request reaches the caller at once: it answers before the call completes.
    expect(await stub.square(4)).toBe(16);
    expect(await inProbe(stub, (probe) => probe.deliveries().length)).toBe(0);
    expect((await deliveriesOf(stub, 1))[0].result).toBe("slept 300");
  });

  it("supports an awaited form, callRaw", async () => {
    const { stub } = freshProbe();
    const value = await inProbe(stub, (probe) => probe.lmz.callRaw("PROBE", "raw-target", probe.ctn<ProbeDO>().square(12)));
    expect(value).toBe(144);
  });
});

describe("call sends a Request or Response argument with its body", () => {
  it("reads the body at the call site and hands the remote a Response it can read", async () => {
    const { stub } = freshProbe();
    const text = await inProbe(stub, (probe) => probe.lmz.callRaw("PROBE", "bodies", probe.ctn<ProbeDO>().bodyOf(new Response("hello, body"))));
    expect(text).toBe("hello, body");
  });

  it("fails the call, once, with the Error that reading the body gave, and sends nothing", async () => {
    const { stub } = freshProbe();
    const broken = () => new Response(new ReadableStream({ pull: (controller) => controller.error(new Error("the stream broke")) }));
    const refusal = await inProbe(stub, (probe) =>
      probe.lmz.callRaw("PROBE", "broken-bodies", probe.ctn<ProbeDO>().bodyOf(broken())).then(
        () => undefined,
        (error: Error) => [error.name, error.message],
      ),
    );
    expect(refusal).toEqual(["DataCloneError", expect.stringMatching(/^Reading a Response body failed \(Error: the stream broke\)/)]);
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().bodyOf(broken());
      probe.lmz.call("PROBE", "broken-bodies", remote, probe.ctn().record(remote, "broken"));
    });
    const [delivery] = await deliveriesOf(stub, 1);
    expect((delivery.result as Error).name).toBe("DataCloneError");
    await sleep(100);
    expect(await inProbe(stub, (probe) => probe.deliveries().length)).toBe(1);
  });

  it("fails the call with a CallError naming the limit when the body makes the chain too big for one RPC message", async () => {
    const { stub } = freshProbe();
    const refusal = await inProbe(stub, (probe) =>
      probe.lmz.callRaw("PROBE", "huge-bodies", probe.ctn<ProbeDO>().bodyOf(new Response("x".repeat(33 * 1024 * 1024)))).then(
        () => undefined,
        (error: Error) => [error.name, error.message],
      ),
    );
    expect(refusal).toEqual(["CallError", expect.stringMatching(/could not be sent: it is [\d,]+ bytes in Workers RPC's encoding, over its limit of 33,554,432 bytes \(32 MiB\)/)]);
  });
});

describe("call times out", () => {
  it("delivers a TimeoutError once, and drops (and logs) the result that arrives later", async () => {
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().sleep(400);
      probe.lmz.call("PROBE", "slow-target", remote, probe.ctn().record(remote, "slow"), { timeout: 50 });
    });
    const [delivery] = await deliveriesOf(stub, 1);
    expect(delivery.result).toBeInstanceOf(TimeoutError);
    expect((delivery.result as Error).message).toMatch(/got no result within 50 ms/);
    await sleep(600); // the remote finished meanwhile
    expect(await inProbe(stub, (probe) => probe.deliveries().length)).toBe(1);
    expect(warned.mock.calls.some(([message]) => /arrived after the timeout and was dropped/.test(String(message)))).toBe(true);
    warned.mockRestore();
  });

  it("delivers the result once when it beats the timeout, and the timer never fires", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().sleep(10);
      probe.lmz.call("PROBE", "quick-target", remote, probe.ctn().record(remote, "quick"), { timeout: 150 });
    });
    expect((await deliveriesOf(stub, 1))[0].result).toBe("slept 10");
    await sleep(300); // past the timeout
    expect(await inProbe(stub, (probe) => probe.deliveries().length)).toBe(1);
  });

  it("times out each call by its own timeout, once, when calls of several timeouts are in flight together", async () => {
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { stub } = freshProbe();
    const calls: [tag: string, sleepMs: number, timeout: number][] = [
      ["quick-300", 10, 300],
      ["slow-300", 1_500, 300],
      ["slow-600", 1_500, 600],
      ["quick-600", 10, 600],
      ["medium-3000", 150, 3_000],
    ];
    await inProbe(stub, (probe) => {
      for (const [tag, sleepMs, timeout] of calls) {
        const remote = probe.ctn<ProbeDO>().sleep(sleepMs);
        probe.lmz.call("PROBE", `timeouts-${tag}`, remote, probe.ctn().record(remote, tag), { timeout });
      }
    });
    await deliveriesOf(stub, calls.length);
    await sleep(1_700); // every remote has finished: the late results are dropped
    const deliveries = await inProbe(stub, (probe) => probe.deliveries());
    const outcome = (result: unknown) => (result instanceof TimeoutError ? result.message.replace(/^Call \S+ /, "") : result);
    expect(Object.fromEntries(deliveries.map(({ tag, result }) => [tag, outcome(result)]))).toEqual({
      "quick-300": "slept 10",
      "slow-300": 'to "PROBE" instance "timeouts-slow-300" (sleep(…)) got no result within 300 ms.',
      "slow-600": 'to "PROBE" instance "timeouts-slow-600" (sleep(…)) got no result within 600 ms.',
      "quick-600": "slept 10",
      "medium-3000": "slept 150",
    });
    expect(deliveries).toHaveLength(calls.length);
    warned.mockRestore();
  });

  it("rejects callRaw with a TimeoutError", async () => {
    const { stub } = freshProbe();
    const outcome = await inProbe(stub, (probe) =>
      probe.lmz.callRaw("PROBE", "raw-slow", probe.ctn<ProbeDO>().sleep(300), { timeout: 30 }).then(String, (error: Error) => error.name),
    );
    expect(outcome).toBe("TimeoutError");
  });
});
