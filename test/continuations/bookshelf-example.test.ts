/** Runs exactly the code the "Continuations" docs page shows. */
import { describe, expect, it } from "vitest";
import { fillAPlaceholder, nestChains, recordAChain, runAChain } from "../../examples/continuations/chains";

describe("the continuations page example", () => {
  it("records reads and calls as data", () => {
    expect(recordAChain()).toEqual([
      { type: "get", key: "getBook" },
      { type: "apply", args: [{ value: "b1" }] },
      { type: "get", key: "shout" },
      { type: "apply", args: [] },
    ]);
  });

  it("runs the chain against a real target", async () => {
    expect(await runAChain()).toBe("DUNE");
  });

  it("runs nested chains first", async () => {
    expect(await nestChains()).toBe("Shelf: 1 book(s)");
  });

  it("substitutes the delivered result, or an Error, for the placeholder", async () => {
    expect(await fillAPlaceholder(42)).toBe("got 42");
    expect(await fillAPlaceholder(new Error("remote down"))).toBe("failed: remote down");
  });
});
