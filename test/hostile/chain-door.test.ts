/**
 * An attacker holding a stub of a Lumenize host calls its `__executeChain`
 * door over real RPC with whatever it likes. The door must answer every
 * attempt with an Error outcome (never reject, never run a forbidden member),
 * and leave the isolate's prototypes alone.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openOutcome, sealChain, type ChainOutcome } from "../../lib/envelope";
import type { OperationChain } from "../../lib/chains";
import { freshProbe, inProbe } from "../harness";

type Door = { __executeChain(envelope: unknown): Promise<unknown> };

/** What the door answers, opened: the Error it holds (an outcome holding a value fails the test). */
async function refusalOf(door: Door, envelope: unknown): Promise<Error> {
  const outcome = await door.__executeChain(envelope);
  if (typeof outcome !== "string") {
    // A sender of versions 1 and 2 is answered in its own form, { ok: false, error }.
    expect(outcome).toMatchObject({ ok: false });
    return new Error("old-version answer");
  }
  try {
    openOutcome(outcome as ChainOutcome);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error(`the door ran it: ${outcome.slice(0, 200)}`);
}

const get = (...keys: string[]): OperationChain => keys.map((key) => ({ type: "get", key }));
const call = (key: string, ...args: unknown[]): OperationChain => [
  { type: "get", key },
  { type: "apply", args: args.map((value) => ({ value })) },
];
const apply = (...args: unknown[]): OperationChain => [{ type: "apply", args: args.map((value) => ({ value })) }];
/** An envelope of this version around `json`, structured-clone's plain-JSON form, as an attacker writes it by hand. */
const raw = (json: string) => `3:{"v":2,"json":${json}}`;
const nested = (depth: number, inner: string) => "[".repeat(depth) + inner + "]".repeat(depth);

async function expectUnpolluted(stub: DurableObjectStub): Promise<void> {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const inside = await inProbe(stub as never, () => [({} as Record<string, unknown>).polluted, Object.getOwnPropertyNames(Object.prototype).includes("polluted"), typeof ([] as unknown as Record<string, unknown>).polluted]);
  expect(inside).toEqual([undefined, false, "undefined"]);
}

describe("__executeChain answers hostile envelopes with an Error, over RPC", () => {
  const envelopes: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["a number", 3],
    ["NaN", Number.NaN],
    ["a BigInt", 3n],
    ["a boolean", true],
    ["an array", ["3:{}"]],
    ["an array of 100,000 elements", Array.from({ length: 100_000 }, (_, i) => i)],
    ["a Map", new Map([["chain", []]])],
    ["a Date", new Date(0)],
    ["an object of version 1", { v: 1, chain: get("echo") }],
    ["an object claiming this version", { v: 3, chain: get("echo") }],
    ["an object with a then() callback", { then: () => "thenable" }],
    ["an empty string", ""],
    ["the version and nothing", "3:"],
    ["the version and null", raw("null")],
    ["the version and an array", raw("[]")],
    ["a chain that is a number", raw('{"chain":5}')],
    ["a chain of 1,001 operations", raw(`{"chain":[${Array(1001).fill('{"type":"get","key":"echo"}').join(",")}]}`)],
    ["chains nested 40 deep in arguments", raw(`{"chain":${'[{"type":"get","key":"echo"},{"type":"apply","args":[{"chain":'.repeat(40)}[]${"}]}]".repeat(40)}}`)],
    ["an operation of an unknown type", raw('{"chain":[{"type":"set","key":"x","value":1}]}')],
    ["a get whose key is a number", raw('{"chain":[{"type":"get","key":0}]}')],
    ["an argument that is not wrapped", raw('{"chain":[{"type":"get","key":"echo"},{"type":"apply","args":[1]}]}')],
    ["a placeholder with no result to put there", raw('{"chain":[{"type":"get","key":"echo"},{"type":"apply","args":[{"placeholder":true}]}]}')],
    ["an outcome instead of an envelope", "=1"],
    ["an Error outcome instead of an envelope", '!{"v":2,"root":["e","Error","x","x"]}'],
    ["an older version's string", '2:{"chain":[]}'],
    ["a version too large for a number", "999999999999999999999:{}"],
    ["a version of nine digits", "999999999:{}"],
    ["not JSON after the version", "3:{chain"],
    ["100,000 nested arrays", `3:${nested(100_000, "0")}`],
    ["100,000 nested objects", `3:${'{"a":'.repeat(100_000)}0${"}".repeat(100_000)}`],
    ["a reference past every object", '3:{"v":2,"root":["r",1000000]}'],
    ["a negative reference", '3:{"v":2,"root":["r",-1]}'],
    ["an Intermediate of version 1 with a reference out of range", '3:{"v":1,"root":["$",99]}'],
    ["an array claiming a huge length", '3:{"v":2,"root":{"chain":["a",4294967295]}}'],
  ];
  for (const [what, envelope] of envelopes) {
    it(`refuses ${what}`, async () => {
      const { stub } = freshProbe("hostile-envelope");
      const error = await refusalOf(stub as unknown as Door, envelope);
      expect(error.message.length).toBeGreaterThan(0);
      await expectUnpolluted(stub);
    });
  }

  it("keeps __proto__, constructor and prototype keys of the envelope's text as data", async () => {
    const { stub } = freshProbe("hostile-proto-keys");
    for (const text of [
      raw('{"__proto__":{"polluted":1},"chain":[]}'),
      raw('{"chain":[{"type":"get","key":"echo"},{"type":"apply","args":[{"value":{"__proto__":{"polluted":1}}}]}]}'),
      raw('{"chain":[{"type":"get","key":"echo"},{"type":"apply","args":[{"value":{"constructor":{"prototype":{"polluted":1}}}}]}]}'),
      raw('{"chain":[{"type":"get","key":"echo"},{"type":"apply","args":[{"__proto__":{"value":1}}]}]}'),
      raw('{"chain":[{"type":"get","key":"echo","__proto__":{"type":"apply"}}]}'),
      raw('{"caller":{"__proto__":{"polluted":1},"kind":"worker"},"callee":{"binding":"__proto__"},"chain":[{"type":"get","key":"square"},{"type":"apply","args":[{"value":2}]}]}'),
      raw('{"callee":{"binding":"constructor","name":"x"},"chain":[{"type":"get","key":"square"},{"type":"apply","args":[{"value":2}]}]}'),
    ]) {
      await stub.__executeChain(text as never);
    }
    await expectUnpolluted(stub);
  });

  it("still runs a well-formed chain whose argument carries a __proto__ key, as data", async () => {
    const { stub } = freshProbe("hostile-proto-value");
    const outcome = await stub.__executeChain(raw('{"chain":[{"type":"get","key":"echo"},{"type":"apply","args":[{"value":{"__proto__":{"polluted":1}}}]}]}') as never);
    const value = openOutcome(outcome) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(value.polluted).toBeUndefined();
    await expectUnpolluted(stub);
  });
});

describe("__executeChain refuses members no chain may reach, whatever the spelling or path", () => {
  const refused: [string, OperationChain, RegExp][] = [
    ["ctx", get("ctx", "storage"), /"ctx" is never reachable/],
    ["env", get("env"), /"env" is never reachable/],
    ["lmz", get("lmz", "alarms"), /"lmz" is Lumenize plumbing/],
    ["ctn", call("ctn"), /"ctn" is Lumenize plumbing/],
    ["onBeforeCall", get("onBeforeCall"), /never reachable|Lumenize plumbing|no member/],
    ["alarm", call("alarm"), /handler the platform invokes/],
    ["fetch", call("fetch", "https://x.test"), /handler the platform invokes/],
    ["webSocketMessage", get("webSocketMessage"), /handler the platform invokes|no member/],
    ["the door itself", call("__executeChain", "3:{}"), /never reachable/],
    ["__settle", call("__settle", "a", "b", "=1"), /never reachable/],
    ["__acceptChains", call("__acceptChains", []), /never reachable/],
    ["a #private name", get("#deliveries"), /never reachable/],
    ["toString", call("toString"), /inherited plumbing/],
    ["valueOf", call("valueOf"), /inherited plumbing/],
    ["hasOwnProperty", call("hasOwnProperty", "ctx"), /inherited plumbing/],
    ["isPrototypeOf", call("isPrototypeOf", {}), /inherited plumbing/],
    ["__lookupGetter__", call("__lookupGetter__", "ctx"), /never reachable/],
    ["constructor of a returned object", [...call("echo", { a: 1 }), ...get("constructor")], /never reachable/],
    ["constructor of a returned array", [...call("echo", [1]), ...get("constructor")], /never reachable/],
    ["constructor of a returned string", [...call("echo", "s"), ...get("constructor")], /never reachable/],
    ["constructor of a returned Map's method", [...call("echo", new Map()), ...get("get", "constructor")], /never reachable/],
    ["constructor of a method", get("echo", "constructor"), /never reachable/],
    ["call of a method", [...get("echo", "call"), ...apply(null, 1)], /inherited plumbing/],
    ["bind of a method", [...get("echo", "bind"), ...apply(null)], /inherited plumbing/],
    ["apply of a returned function", [...call("returnsFunction"), ...get("callback", "apply"), ...apply(null, [])], /inherited plumbing/],
    ["__proto__ of a returned value", [...call("echo", {}), ...get("__proto__", "polluted")], /never reachable/],
    ["prototype of a method", get("square", "prototype"), /never reachable/],
    ["a getter on Object.prototype", get("__proto__"), /never reachable/],
    ["a nested chain reaching env", [{ type: "get", key: "echo" }, { type: "apply", args: [{ chain: get("env") }] }], /"env" is never reachable/],
    ["a nested chain reaching ctx through a returned value", [{ type: "get", key: "echo" }, { type: "apply", args: [{ chain: [...call("echo", 1), ...get("constructor")] }] }], /never reachable/],
  ];
  for (const [what, chain, expected] of refused) {
    it(`refuses ${what}`, async () => {
      const { stub } = freshProbe("hostile-member");
      const error = await refusalOf(stub as unknown as Door, sealChain(chain, {}));
      expect(error.name).toBe("OperationChainError");
      expect(error.message).toMatch(expected);
      await expectUnpolluted(stub);
    });
  }

  it("reaches Array and Map methods of a returned value, which touch only that value", async () => {
    const { stub } = freshProbe("hostile-array-methods");
    const outcome = await stub.__executeChain(sealChain([...call("echo", [3, 1, 2]), ...get("toSorted"), ...apply()], {}));
    expect(openOutcome(outcome)).toEqual([1, 2, 3]);
    const mapped = await stub.__executeChain(sealChain([...call("echo", new Map([["k", 1]])), ...get("has"), ...apply("k")], {}));
    expect(openOutcome(mapped)).toBe(true);
  });

  it("does not let a returned value's Array method call a forbidden member through a nested chain", async () => {
    const { stub } = freshProbe("hostile-array-callback");
    const chain: OperationChain = [...call("echo", [1]), { type: "get", key: "map" }, { type: "apply", args: [{ chain: get("lmz") }] }];
    const error = await refusalOf(stub as unknown as Door, sealChain(chain, {}));
    expect(error.message).toMatch(/"lmz" is Lumenize plumbing/);
  });

  // An empty chain evaluates to the target itself: as an argument it would hand any public method
  // the host object, with its ctx and env, and as the whole chain it would make the host the outcome.
  for (const [what, chain] of [
    ["an empty nested chain as an argument", [{ type: "get", key: "echo" }, { type: "apply", args: [{ chain: [] }] }]],
    ["an empty chain", []],
  ] as [string, OperationChain][]) {
    it(`refuses ${what}: the target itself never leaves through a chain`, async () => {
      const { stub } = freshProbe("hostile-self-argument");
      const error = await refusalOf(stub as unknown as Door, sealChain(chain, {}));
      expect(error.name).toBe("OperationChainError");
      expect(error.message).toMatch(/it has no operations/);
    });
  }
});

describe("the doors of a Worker answer hostile envelopes too", () => {
  for (const [what, envelope] of [
    ["null", null],
    ["a chain reaching env", sealChain(get("env"), {})],
    ["a chain reaching ctx", sealChain(get("ctx", "waitUntil"), {})],
    ["the platform handler fetch", sealChain(call("fetch", "https://x.test"), {})],
  ] as [string, unknown][]) {
    it(`GreeterWorker refuses ${what}`, async () => {
      const error = await refusalOf(env.GREETER as unknown as Door, envelope);
      expect(error).toBeInstanceOf(Error);
    });
  }
});
