/**
 * Result placeholders inside nested chains: the executor fills them with the
 * same result as the chain around them, and `hasPlaceholder`,
 * `fillPlaceholders` and `bindResult` agree with it at every depth.
 */
import { describe, expect, it } from "vitest";
import { bindResult, ctn, executeOperationChain, fillPlaceholders, getOperationChain, hasPlaceholder, placeholder, type OperationChain } from "../../lib/chains";

class Notes {
  format(value: unknown): string {
    return `<${String(value)}>`;
  }
  join(a: string, b: unknown): string {
    return `${a}|${String(b)}`;
  }
}

const ops = (proxy: unknown) => getOperationChain(proxy) as OperationChain;
const $n = placeholder<number>();

/** A placeholder at the top, one level down, two levels down, and none at all. */
const chains: [string, OperationChain, boolean][] = [
  ["at the top", ops(ctn<Notes>("continuation").join("a", $n)), true],
  ["in a nested chain", ops(ctn<Notes>("continuation").join("a", ctn<Notes>("continuation").format($n))), true],
  ["two levels down", ops(ctn<Notes>().join("a", ctn<Notes>().join("b", ctn<Notes>("continuation").format($n)))), true],
  ["nowhere", ops(ctn<Notes>().join("a", ctn<Notes>().format(7))), false],
];

describe("placeholders in nested chains", () => {
  it.each(chains)("hasPlaceholder finds one %s", (_where, chain, found) => {
    expect(hasPlaceholder(chain)).toBe(found);
  });

  it.each(chains)("fillPlaceholders leaves none (%s), and the filled chain runs as the chain with its result", async (_where, chain) => {
    const filled = fillPlaceholders(chain, 42);
    expect(hasPlaceholder(filled)).toBe(false);
    expect(await executeOperationChain(filled, new Notes())).toBe(await executeOperationChain(chain, new Notes(), { result: 42 }));
  });

  it("fills a nested placeholder with the result, not only the top-level ones", async () => {
    const chain = ops(ctn<Notes>("continuation").join("a", ctn<Notes>("continuation").format($n)));
    expect(await executeOperationChain(fillPlaceholders(chain, 42), new Notes())).toBe("a|<42>");
  });

  it("bindResult marks the source chain wherever it is nested, so hasPlaceholder finds it", async () => {
    const remote = ctn<{ count(): number }>().count();
    const continuation = ops(ctn<Notes>("continuation").join("a", ctn<Notes>("continuation").format(remote)));
    expect(hasPlaceholder(continuation)).toBe(false);
    const bound = bindResult(continuation, ops(remote));
    expect(hasPlaceholder(bound)).toBe(true);
    expect(await executeOperationChain(bound, new Notes(), { result: 5 })).toBe("a|<5>");
  });
});
