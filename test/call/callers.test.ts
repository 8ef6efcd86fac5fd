import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALL_TIMEOUT, DEFAULT_WORKER_CALL_TIMEOUT } from "../../lib";
import { freshProbe, inProbe } from "../harness";
import { deliveriesOf } from "./harness";

describe("callers without a durable identity", () => {
  it("a LumenizeWorker uses call, and its continuation runs on the Worker", async () => {
    const { name, stub } = freshProbe("worker-report");
    const callId = await exports.ProbeWorker.squareAndReport(9, name);
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await deliveriesOf(stub, 1)).toEqual([{ tag: "from-worker", result: 81 }]);
  });

  it(
    "a LumenizeWorker's call times out by default 10 s before waitUntil's end, so the TimeoutError reaches its continuation",
    async () => {
      expect(DEFAULT_WORKER_CALL_TIMEOUT).toBeLessThanOrEqual(DEFAULT_CALL_TIMEOUT - 10_000);
      const { name, stub } = freshProbe("worker-default-timeout");
      const started = Date.now();
      // The remote answers 3 s after the Worker's default deadline, still inside a Durable Object's.
      const callId = await exports.ProbeWorker.slowSquareAndReport(4, DEFAULT_WORKER_CALL_TIMEOUT + 3_000, name);
      const [delivery] = await deliveriesOf(stub, 1, DEFAULT_WORKER_CALL_TIMEOUT + 2_000);
      const waited = Date.now() - started;
      expect(delivery.tag).toBe("from-worker");
      // The Error crossed Workers RPC (the continuation reports it to the probe), which keeps its name.
      expect((delivery.result as Error).name).toBe("TimeoutError");
      expect((delivery.result as Error).message).toContain(`Call ${callId}`);
      expect((delivery.result as Error).message).toContain(`within ${DEFAULT_WORKER_CALL_TIMEOUT} ms`);
      expect(waited).toBeGreaterThanOrEqual(DEFAULT_WORKER_CALL_TIMEOUT - 50);
      // The late result is dropped: the continuation ran once.
      await scheduler.wait(3_500);
      expect(await inProbe(stub, (probe) => probe.deliveries().length)).toBe(1);
    },
    DEFAULT_WORKER_CALL_TIMEOUT + 15_000,
  );

  it("a LumenizeRpcTarget uses callRaw", async () => {
    using target = await exports.ProbeWorker.target();
    expect(await target.square(11)).toBe(121);
  });

  it("a LumenizeRpcTarget cannot use call, and says to use callRaw", async () => {
    using target = await exports.ProbeWorker.target();
    expect(await target.tryCall()).toMatch(/RpcTarget has no lifetime of its own .* use this\.lmz\.callRaw/);
  });
});
