import { describe, expect, it } from "vitest";
import { ctn, executeOperationChain, getOperationChain, OperationChainError, placeholder, type OperationChain } from "../../lib/chains";

class Shelf {
  books = new Map<string, { title: string; tags: string[] }>([["b1", { title: "Dune", tags: ["sf"] }]]);
  calls = 0;
  // eslint-disable-next-line @typescript-eslint/require-await -- async on purpose: chains must await a Promise between steps
  async getBook(id: string) {
    this.calls++;
    const book = this.books.get(id);
    if (!book) throw new RangeError(`No book ${id}`);
    return { ...book, rename: (title: string) => ({ ...book, title }) };
  }
  add(a: number, b: number): number {
    return a + b;
  }
  get size(): number {
    return this.books.size;
  }
  receive(value: unknown, note: string): string {
    return `${note}: ${value instanceof Error ? `error ${value.message}` : String(value)}`;
  }
}

const run = (chain: unknown, target: object = new Shelf(), options = {}) => executeOperationChain(chain, target, options);
const ops = (proxy: unknown) => getOperationChain(proxy) as OperationChain;

describe("executeOperationChain", () => {
  it("reads members and calls methods in order, awaiting between steps", async () => {
    expect(await run(ops(ctn<Shelf>().getBook("b1").title))).toBe("Dune");
    expect(await run(ops(ctn<Shelf>().getBook("b1").rename("Arrakis").title))).toBe("Arrakis");
    expect(await run(ops(ctn<Shelf>().size))).toBe(1);
  });

  it("calls methods with the target as `this`", async () => {
    const shelf = new Shelf();
    await run(ops(ctn<Shelf>().getBook("b1")), shelf);
    expect(shelf.calls).toBe(1);
  });

  it("runs nested chains against the same target and passes their results", async () => {
    expect(await run(ops(ctn<Shelf>().add(ctn<Shelf>().size, ctn<Shelf>().add(2, 3))))).toBe(6);
  });

  it("substitutes the given result for every placeholder", async () => {
    const chain = ops(ctn<Shelf>().receive(placeholder<number>(), "got"));
    expect(await run(chain, new Shelf(), { result: 42 })).toBe("got: 42");
    expect(await run(chain, new Shelf(), { result: new Error("boom") })).toBe("got: error boom");
  });

  it("lets errors thrown by the target's methods propagate unchanged", async () => {
    await expect(run(ops(ctn<Shelf>().getBook("nope")))).rejects.toThrow(RangeError);
  });

  it("names the step of an unknown member", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a typo the types refuse
    const chain = ops((ctn<Shelf>() as any).getBok("b1"));
    await expect(run(chain)).rejects.toThrow(OperationChainError);
    await expect(run(chain)).rejects.toThrow(/step 0 \(getBok\): the target has no member "getBok"/);
  });

  it("says when a step calls something that is not a function", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- calling a getter, which the types refuse
    await expect(run(ops((ctn<Shelf>() as any).size()))).rejects.toThrow(/step 1: size is not a function/);
  });

  it("says when a step reads through undefined", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a member the types refuse
    const chain = ops((ctn<Shelf>() as any).getBook("b1").missing.deeper);
    await expect(run(chain)).rejects.toThrow(/the target has no member "missing"/);
  });

  it("refuses a placeholder when no result was given", async () => {
    await expect(run(ops(ctn<Shelf>().receive(placeholder<number>(), "x")))).rejects.toThrow(/result placeholder but no result/);
  });

  describe("rejects malformed chains", () => {
    const cases: [string, unknown, RegExp][] = [
      ["a non-array", { type: "get", key: "x" }, /expected an array of operations, got an object/],
      ["a non-object operation", ["size"], /step 0: expected an operation object, got a string/],
      ["an unknown operation type", [{ type: "set", key: "x" }], /step 0: unknown operation type "set"/],
      ["a get without a string key", [{ type: "get", key: 7 }], /step 0: a "get" needs a string key, got a number/],
      ["an apply without args", [{ type: "get", key: "add" }, { type: "apply" }], /step 1: an "apply" needs an args array/],
      ["an unwrapped argument", [{ type: "get", key: "add" }, { type: "apply", args: [1, 2] }], /step 1: argument 0 must be wrapped/],
      ["an argument with extra keys", [{ type: "get", key: "add" }, { type: "apply", args: [{ value: 1, chain: [] }] }], /argument 0 has keys \[value, chain\]/],
      ["a malformed nested chain", [{ type: "get", key: "add" }, { type: "apply", args: [{ chain: "size" }] }], /expected an array of operations, got a string/],
      ["an overlong chain", Array.from({ length: 1_001 }, () => ({ type: "get", key: "x" })), /1001 operations exceed the limit/],
    ];
    for (const [what, chain, message] of cases) {
      it(`such as ${what}`, async () => {
        await expect(run(chain)).rejects.toThrow(message);
      });
    }
  });
});
