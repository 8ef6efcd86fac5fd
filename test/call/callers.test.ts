import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { freshProbe } from "../harness";
import { deliveriesOf } from "./harness";

describe("callers without a durable identity", () => {
  it("a LumenizeWorker uses call, and its continuation runs on the Worker", async () => {
    const { name, stub } = freshProbe("worker-report");
    const callId = await exports.ProbeWorker.squareAndReport(9, name);
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await deliveriesOf(stub, 1)).toEqual([{ tag: "from-worker", result: 81 }]);
  });

  it("a LumenizeRpcTarget uses callRaw", async () => {
    using target = await exports.ProbeWorker.target();
    expect(await target.square(11)).toBe(121);
  });

  it("a LumenizeRpcTarget cannot use call, and says to use callRaw", async () => {
    using target = await exports.ProbeWorker.target();
    expect(await target.tryCall()).toMatch(/RpcTarget has no lifetime of its own .* use this\.lmz\.callRaw/);
  });
});
