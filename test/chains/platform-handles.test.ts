/**
 * Issue 16 (security model): a chain never holds a platform handle, whatever
 * key led to it. Refusing the keys `ctx` and `env` is not enough: a public
 * field, a nested object or a method can hand out the storage or a binding.
 * The executor refuses the value itself: the host's ctx, env, storage (and
 * its sql and kv), every binding in env, and anything of the same platform
 * type as those.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { OperationChain } from "../../lib/chains";
import { openOutcome, sealChain, type ChainOutcome } from "../../lib/envelope";

const step = (key: string, ...args: unknown[]): OperationChain =>
  args.length === 0 ? [{ type: "get", key }] : [{ type: "get", key }, { type: "apply", args: args.map((value) => ({ value })) }];
const chain = (...steps: OperationChain[]): OperationChain => steps.flat();

let counter = 0;
async function attack(hostile: OperationChain): Promise<{ refusal: string; written: Record<string, unknown> }> {
  const stub = env.EXPOSED.getByName(`exposed-${counter++}`);
  const outcome = (await stub.__executeChain(sealChain(hostile, {}))) as ChainOutcome;
  let refusal = "not refused";
  try {
    openOutcome(outcome);
  } catch (error) {
    refusal = (error as Error).message;
  }
  return { refusal, written: await stub.written() };
}

describe("a chain never holds a platform handle", () => {
  const attacks: [string, OperationChain, string][] = [
    ["storage through a public field", chain(step("store"), step("kv"), step("put", "pwned", 1)), 'the value of "store" is ctx.storage'],
    ["the SQL face of storage", chain(step("sql"), step("exec", "CREATE TABLE pwned (x)")), 'the value of "sql" is ctx.storage.sql'],
    ["the KV face of storage", chain(step("kv"), step("put", "pwned", 1)), 'the value of "kv" is ctx.storage.kv'],
    ["ctx through a public field", chain(step("state"), step("storage")), 'the value of "state" is ctx'],
    ["env through a public field", chain(step("bindings"), step("PROBE")), 'the value of "bindings" is env'],
    ["a Durable Object namespace binding", chain(step("probes"), step("getByName", "x")), 'the value of "probes" is env.PROBE'],
    ["a service binding", chain(step("greeter"), step("greet", "x")), 'the value of "greeter" is env.GREETER'],
    ["storage nested in plain data", chain(step("config"), step("nested"), step("storage"), step("deleteAll")), 'the value of "storage" is ctx.storage'],
    ["storage returned by a method", chain(step("getStorage", undefined), step("put", "pwned", 1)), "the value of getStorage(…) is ctx.storage"],
    ["storage returned by an async method", chain(step("getStorageLater", undefined), step("put", "pwned", 1)), "the value of getStorageLater(…) is ctx.storage"],
  ];
  for (const [what, hostile, named] of attacks) {
    it(`refuses ${what}, and nothing is written`, async () => {
      const { refusal, written } = await attack(hostile);
      expect(refusal).toContain(named);
      expect(refusal).toMatch(/a platform handle \(storage, bindings, secrets\) is never reachable through a chain/);
      expect(written).toEqual({});
    });
  }

  it("refuses it as a nested chain's result too", async () => {
    const nested: OperationChain = [
      { type: "get", key: "remember" },
      { type: "apply", args: [{ chain: step("store") }] },
    ];
    const { refusal, written } = await attack(nested);
    expect(refusal).toContain('the value of "store" is ctx.storage');
    expect(written).toEqual({});
  });

  it("still runs a public method that uses the storage itself", async () => {
    const stub = env.EXPOSED.getByName("exposed-legit");
    const outcome = (await stub.__executeChain(sealChain(step("remember", "ok"), {}))) as ChainOutcome;
    expect(openOutcome(outcome)).toBeUndefined();
    expect(await stub.written()).toEqual({ remembered: "ok" });
  });

  it("cannot refuse a secret string in a public field: a string is data", async () => {
    const outcome = (await env.EXPOSED.getByName(`exposed-${counter++}`).__executeChain(sealChain(step("apiKey"), {}))) as ChainOutcome;
    expect(openOutcome(outcome)).toBe("sk-test-not-a-real-key");
  });

  it("refuses a binding aliased on a LumenizeWorker, and its ExecutionContext", async () => {
    for (const [hostile, named] of [
      [chain(step("probes"), step("getByName", "x")), 'the value of "probes" is env.PROBE'],
      [chain(step("waitUntil")), 'the value of "waitUntil" is ctx'],
    ] as const) {
      const outcome = (await exports.ExposedWorker.__executeChain(sealChain(hostile, {}))) as ChainOutcome;
      expect(() => openOutcome(outcome)).toThrow(named);
    }
  });
});
