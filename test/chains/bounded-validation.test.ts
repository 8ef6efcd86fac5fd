/**
 * Issue 12, item 4: validating a chain from elsewhere costs what was sent,
 * not what an array claims its length is, and holes are refused by name.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executeOperationChain, OperationChainError } from "../../lib/chains";
import { openOutcome, type ChainOutcome } from "../../lib/envelope";
import { parse } from "../../lib/structured-clone";

/** A chain that reads `add` and calls it with `args`. */
const calling = (args: unknown): unknown[] => [
  { type: "get", key: "add" },
  { type: "apply", args },
];

const target = { add: (a: number, b: number) => a + b };

/** `array` behind a Proxy that counts every index it is asked about. */
function counted<T extends object>(array: T): { array: T; probes: () => number } {
  let probes = 0;
  const isIndex = (key: string | symbol) => typeof key === "string" && /^\d+$/.test(key);
  const proxy = new Proxy(array, {
    get(target, key, receiver) {
      if (isIndex(key)) probes++;
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (isIndex(key)) probes++;
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (isIndex(key)) probes++;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  return { array: proxy, probes: () => probes };
}

describe("chain validation is bounded by what was sent", () => {
  it("refuses a sparse args array of huge declared length after looking at the elements that exist", async () => {
    const sparse: unknown[] = [{ value: 1 }];
    sparse.length = 2 ** 32 - 1;
    const { array, probes } = counted(sparse);
    await expect(executeOperationChain(calling(array), target)).rejects.toThrow(OperationChainError);
    expect(probes()).toBeLessThanOrEqual(4);
  });

  it("names the hole in an args array instead of failing with an engine TypeError", async () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [{ value: 1 }, , { value: 2 }];
    const error = await executeOperationChain(calling(holey), target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationChainError);
    expect((error as Error).message).toBe(
      "Malformed operation chain at step 1: the args array has a hole at index 1 (length 3); send every argument, wrapped as { value }, { chain } or { placeholder }.",
    );
  });

  it("refuses a chain array with holes", async () => {
    // eslint-disable-next-line no-sparse-arrays
    const chain = [{ type: "get", key: "add" }, , { type: "apply", args: [] }];
    await expect(executeOperationChain(chain, target)).rejects.toThrow(
      "Malformed operation chain: the operations array has a hole at index 1 (length 3); send every operation.",
    );
  });

  it("refuses holes in nested chains too", async () => {
    const nested: unknown[] = [];
    nested.length = 5;
    await expect(executeOperationChain(calling([{ chain: nested }, { value: 1 }]), target)).rejects.toThrow(
      /operations array has a hole at index 0 \(length 5\)/,
    );
  });

  it("refuses the ~150-byte hostile text at the door, as an OperationChainError in the outcome", async () => {
    // A chain `add(…)` whose args array claims 2^32 - 1 elements and holds none.
    const hostile = `{"v":2,"root":[{"type":"get","key":"greet"},{"type":"apply","args":["A",4294967295]}]}`;
    expect(hostile.length).toBeLessThan(160);
    const outcome = (await env.GREETER.__executeChain(`3:{"v":2,"root":{"chain":${JSON.stringify(JSON.parse(hostile).root)}}}`)) as ChainOutcome;
    expect(() => openOutcome(outcome)).toThrow(/step 1: the args array has a hole at index 0 \(length 4294967295\)/);
    // The same text decodes to a sparse array without walking it: the decoder is bounded too.
    const chain = parse(hostile) as { args: unknown[] }[];
    expect(chain[1].args.length).toBe(2 ** 32 - 1);
  });

  it("decodes hostile text declaring huge sparse arrays without reserving their length", async () => {
    // A call with 40 arguments, each { value: an array claiming 30 million
    // slots }: about 2 KB of text. Reserving the slots would take
    // 40 × 240 MB and kill the isolate.
    const count = 40;
    const args = Array.from({ length: count }, () => ({ value: ["A", 30_000_000] }));
    const hostile = JSON.stringify({ v: 2, root: [{ type: "get", key: "nothing" }, { type: "apply", args }] });
    expect(hostile.length).toBeLessThan(2_100);
    const outcome = (await env.GREETER.__executeChain(`3:{"v":2,"root":{"chain":${JSON.stringify(JSON.parse(hostile).root)}}}`)) as ChainOutcome;
    expect(() => openOutcome(outcome)).toThrow(/the target has no member "nothing"/);
    const decoded = parse(hostile) as { args: { value: unknown[] }[] }[];
    expect(decoded[1].args[count - 1].value).toHaveLength(30_000_000);
  });
});
