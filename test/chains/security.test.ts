import { describe, expect, it } from "vitest";
import { executeOperationChain, type OperationChain } from "../../lib/chains";

/** A target shaped like a Durable Object: platform handles, private state, public API. */
class Vault {
  ctx = { storage: "the storage" };
  env = { SECRET: "hunter2" };
  #secret = "private field";
  __internal = "dunder";
  balance = 100;
  readSecret(): string {
    return this.#secret;
  }
  deposit(amount: number): number {
    return (this.balance += amount);
  }
}

const get = (...keys: string[]): OperationChain => keys.map((key) => ({ type: "get", key }));
const call = (key: string, ...args: unknown[]): OperationChain => [
  { type: "get", key },
  { type: "apply", args: args.map((value) => ({ value })) },
];

describe("a chain from elsewhere reaches only public methods and data", () => {
  it("reaches public data and methods", async () => {
    expect(await executeOperationChain(get("balance"), new Vault())).toBe(100);
    expect(await executeOperationChain(call("deposit", 5), new Vault())).toBe(105);
  });

  const refusals: [string, OperationChain][] = [
    ["__proto__", get("__proto__")],
    ["constructor", get("constructor")],
    ["prototype (via a method)", get("deposit", "prototype")],
    ["constructor of a method (Function)", get("deposit", "constructor")],
    ["__-prefixed internals", get("__internal")],
    ["__defineGetter__ and friends", get("__defineGetter__")],
    ["#private names", get("#secret")],
    ["ctx", get("ctx", "storage")],
    ["env", get("env", "SECRET")],
    ["inherited Object.prototype members", call("hasOwnProperty", "balance")],
    ["Function.prototype members (call/apply/bind)", [...get("deposit", "call"), { type: "apply", args: [{ value: null }, { value: 1 }] }]],
  ];
  for (const [what, chain] of refusals) {
    it(`refuses ${what}`, async () => {
      const vault = new Vault();
      await expect(executeOperationChain(chain, vault)).rejects.toThrow(/refused at step \d/);
      expect(vault.balance).toBe(100);
    });
  }

  it("refuses refused names deeper in a chain too", async () => {
    const target = { nested: { env: { SECRET: "x" } } };
    await expect(executeOperationChain(get("nested", "env"), target)).rejects.toThrow(/"env" is never reachable/);
  });

  it("refuses inside nested chains", async () => {
    const chain: OperationChain = [
      { type: "get", key: "deposit" },
      { type: "apply", args: [{ chain: get("env", "SECRET") }] },
    ];
    const vault = new Vault();
    await expect(executeOperationChain(chain, vault)).rejects.toThrow(/"env" is never reachable/);
    expect(vault.balance).toBe(100);
  });

  it("reaches the methods of what a public member holds or returns: an internal Map handed out by reference can be cleared", async () => {
    // Unlike plain Workers RPC, which would send a copy, a chain walks into the object itself.
    class Catalog {
      items = new Map([["b1", "Dune"]]);
      listing(): Map<string, string> {
        return this.items;
      }
    }
    const catalog = new Catalog();
    await executeOperationChain([...get("listing"), { type: "apply", args: [] }, ...call("clear")], catalog);
    expect(catalog.items.size).toBe(0);
  });

  it("cannot pollute prototypes through __proto__ paths", async () => {
    const chain: OperationChain = [
      { type: "get", key: "__proto__" },
      { type: "get", key: "polluted" },
    ];
    await expect(executeOperationChain(chain, {})).rejects.toThrow();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
