import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { openOutcome, sealChain, type ChainOutcome } from "../../lib/envelope";
import { getOperationChain, ctn, type OperationChain } from "../../lib/chains";
import { postprocess, type Intermediate } from "../../lib/structured-clone";
import type { ProfileDO } from "../../examples/base-classes/profile";

const whoAmI = getOperationChain(ctn<ProfileDO>().whoAmI()) as OperationChain;

describe("a LumenizeBase DO knows who it is", () => {
  it("learns its binding and name from the first call that reaches it, and keeps them", async () => {
    const stub = env.PROFILE.getByName("grace");
    const before = await stub.whoAmI();
    expect(before.kind).toBe("durable-object");
    expect(before.binding).toBeUndefined();

    // ada calls grace: the envelope tells grace how she was addressed.
    await env.PROFILE.getByName("ada").introduceTo("grace");
    const after = await stub.whoAmI();
    expect(after).toMatchObject({ kind: "durable-object", binding: "PROFILE", name: "grace" });
    expect(after.id).toBe(env.PROFILE.idFromName("grace").toString());

    // Persisted: a fresh instance (same storage) still knows.
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get("__lumenize:identity"));
    expect(stored).toEqual({ binding: "PROFILE", name: "grace" });
  });

  it("sees the caller's identity inside a method reached by a chain", async () => {
    const seen = await env.PROFILE.getByName("hopper").introduceTo("lovelace");
    expect(seen).toMatchObject({ kind: "durable-object", name: "hopper" });
  });

  it("refuses a false claim about its name or binding", async () => {
    const stub = env.PROFILE.getByName("turing");
    const lie = (callee: { binding: string; name?: string }) =>
      stub.__executeChain(sealChain(whoAmI, { callee })) as Promise<ChainOutcome>;
    await lie({ binding: "PROFILE", name: "not-turing" });
    await lie({ binding: "COUNTER", name: "turing" });
    const outcome = await lie({ binding: "PLAIN_VAR" });
    const identity = openOutcome(outcome) as { binding?: string; name?: string };
    expect(identity.binding).toBeUndefined();
    expect(await runInDurableObject(stub, (_i, state) => state.storage.kv.get("__lumenize:identity"))).toBeUndefined();
  });

  it("returns malformed envelopes as errors in the outcome, never throwing", async () => {
    const stub = env.PROFILE.getByName("robust");
    const junks = [null, 42, "", "nonsense", "3:", "3:{", "3:[]", '3:{"v":2,"root":{"chain":["r",99]}}', '3:{"v":2,"json":{"chain":"not a chain"}}', "4:{}"];
    for (const junk of junks) {
      const outcome = (await stub.__executeChain(junk as never)) as ChainOutcome;
      expect(outcome[0], JSON.stringify(junk)).toBe("!");
      expect(() => openOutcome(outcome)).toThrow(/chain envelope|operation chain|DataCloneError|not valid JSON|Malformed/i);
    }
    // Versions 1 and 2 sent objects, and read an object back.
    for (const junk of [{ v: 2 }, { v: 2, text: "{" }, { v: 1, chain: { v: 2, json: [] } }, {}, { v: 3, text: '{"v":2,"json":{"chain":[]}}' }]) {
      const outcome = (await stub.__executeChain(junk as never)) as unknown as { ok: boolean; error: Intermediate };
      expect(outcome.ok, JSON.stringify(junk)).toBe(false);
      expect((postprocess(outcome.error) as Error).name, JSON.stringify(junk)).toBe("InvalidInputError");
    }
  });
});
