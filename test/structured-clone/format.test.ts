import { describe, expect, it } from "vitest";
import { postprocess, preprocessSync, type Intermediate } from "../../lib/structured-clone";

/** How deeply nested the JSON text of `intermediate` is. */
function jsonDepth(intermediate: Intermediate): number {
  let depth = 0;
  let max = 0;
  for (const char of JSON.stringify(intermediate)) {
    if (char === "[" || char === "{") max = Math.max(max, ++depth);
    else if (char === "]" || char === "}") depth--;
  }
  return max;
}

describe("the Intermediate format", () => {
  it("is the documented versioned table of tagged entries", () => {
    const shared = { n: -0 };
    const value = { list: [1, undefined, shared], when: new Date(5), shared, big: 7n, nan: NaN };
    expect(preprocessSync(value)).toEqual({
      v: 1,
      root: ["r", 0],
      objects: [
        ["o", "list", ["r", 1], "when", ["r", 2], "shared", ["r", 3], "big", ["b", "7"], "nan", ["n", "NaN"]],
        ["a", 1, ["u"], ["r", 3]],
        ["d", 5],
        ["o", "n", ["n", "-0"]],
      ],
    });
  });

  it("keeps a primitive root inline with an empty table", () => {
    expect(preprocessSync("hi")).toEqual({ v: 1, root: "hi", objects: [] });
    expect(preprocessSync(-Infinity)).toEqual({ v: 1, root: ["n", "-Infinity"], objects: [] });
  });

  it("writes typed arrays as a view onto an ArrayBuffer entry", () => {
    const view = new Uint16Array(Uint8Array.of(0, 0, 1, 0, 2, 0).buffer, 2, 2);
    expect(preprocessSync(view).objects).toEqual([
      ["t", "Uint16Array", 1, 2, 2],
      ["B", "AAABAAIA"],
    ]);
  });

  it("writes holes as index/value pairs after the length", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(preprocessSync([, "a", , "b"]).objects).toEqual([["A", 4, 1, "a", 3, "b"]]);
  });

  it("is unchanged by a JSON round trip", () => {
    const value = { map: new Map([[{ k: 1 }, new Set([1n])]]), error: new TypeError("t", { cause: 1 }), bytes: Uint8Array.of(1, 2) };
    const intermediate = preprocessSync(value);
    expect(JSON.parse(JSON.stringify(intermediate))).toStrictEqual(JSON.parse(JSON.stringify(intermediate)));
    expect(JSON.parse(JSON.stringify(intermediate))).toEqual(intermediate);
  });

  it("stays four levels deep however deep the value is", () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = { child: [deep, new Map([[i, deep]])] };
    expect(jsonDepth(preprocessSync(deep))).toBeLessThanOrEqual(4);
  });

  it("writes each shared object once", () => {
    const shared = { big: "x".repeat(1000) };
    const intermediate = preprocessSync(Array.from({ length: 100 }, () => shared));
    expect(intermediate.objects).toHaveLength(2);
    expect(JSON.stringify(intermediate).length).toBeLessThan(2000);
  });

  it("shares no mutable state between results", () => {
    const first = preprocessSync([undefined, NaN]);
    // A caller scribbling on one result must not change the next.
    expect(() => ((first.objects[0] as readonly unknown[])[1] as unknown[]).push("junk")).toThrow(TypeError);
    expect(preprocessSync([undefined, NaN]).objects[0]).toEqual(["a", ["u"], ["n", "NaN"]]);
  });

  it("does not change the Intermediate it reads", () => {
    const intermediate = preprocessSync({ list: [1, 2], map: new Map([["a", { b: 1 }]]) });
    const before = JSON.stringify(intermediate);
    postprocess(intermediate);
    postprocess(intermediate);
    expect(JSON.stringify(intermediate)).toBe(before);
  });
});
