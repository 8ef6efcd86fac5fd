import { describe, expect, it } from "vitest";
import { parse, postprocess, preprocessSync, stringify, stringifySync, type Intermediate } from "../../lib/structured-clone";
import { MAX_NESTING } from "../../lib/structured-clone/format";

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

/** The `root` of `preprocessSync(value)`, to reach into (undefined in the json form). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rootOf(value: unknown): any {
  return (preprocessSync(value) as { root?: unknown }).root;
}

describe("the Intermediate format", () => {
  it("is the documented versioned tree, objects numbered as the walk meets them", () => {
    const shared = { n: -0 };
    const value = { list: [1, undefined, shared], when: new Date(5), shared, big: 7n, nan: NaN };
    // The root is object 0; its children are met in order: list 1, when 2,
    // shared 3. `shared` is written in full where the root met it, and the
    // list, walked later, refers to it.
    expect(preprocessSync(value)).toEqual({
      v: 2,
      root: { list: [1, ["u"], ["r", 3]], when: ["d", 5], shared: { n: ["n", "-0"] }, big: ["b", "7"], nan: ["n", "NaN"] },
    });
  });

  it("marks plain JSON data as json, with nothing to rebuild", () => {
    expect(preprocessSync("hi")).toEqual({ v: 2, json: "hi" });
    expect(preprocessSync({ a: [1, "x", { b: null }], c: true })).toEqual({ v: 2, json: { a: [1, "x", { b: null }], c: true } });
    expect(preprocessSync(-Infinity)).toEqual({ v: 2, root: ["n", "-Infinity"] });
  });

  it("writes a small typed array alone on its buffer as its elements", () => {
    expect(preprocessSync(Uint16Array.of(1, 2))).toEqual({ v: 2, root: ["t", "Uint16Array", [1, 2]] });
  });

  it("writes other views onto an ArrayBuffer, in base64", () => {
    const view = new Uint16Array(Uint8Array.of(0, 0, 1, 0, 2, 0).buffer, 2, 2);
    expect(preprocessSync(view)).toEqual({ v: 2, root: ["t", "Uint16Array", ["B", "AAABAAIA"], 2, 2] });
    expect(preprocessSync(Float64Array.of(NaN))).toEqual({ v: 2, root: ["t", "Float64Array", ["B", "AAAAAAAA+H8="], 0, 1] });
    expect(rootOf(new Uint8Array(65))[2]).toEqual(["B", "A".repeat(87) + "="]);
  });

  it("numbers the buffer of a small typed array, for a view met later to share it", () => {
    const buffer = new ArrayBuffer(4);
    expect(preprocessSync([new Uint8Array(buffer), new Uint16Array(buffer, 2, 1)])).toEqual({
      v: 2,
      root: [["t", "Uint8Array", [0, 0, 0, 0]], ["t", "Uint16Array", ["r", 2], 2, 1]],
    });
  });

  it("writes holes as index/value pairs after the length", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(rootOf([, "a", , "b"])).toEqual(["A", 4, 1, "a", 3, "b"]);
  });

  it("keeps elements already written when a hole turns up later", () => {
    const shared = { s: 1 };
    // eslint-disable-next-line no-sparse-arrays
    expect(rootOf([shared, "x", , shared])).toEqual(["A", 4, 0, { s: 1 }, 1, "x", 3, ["r", 1]]);
  });

  it("tags an array whose first element is a one-character string, except in plain JSON", () => {
    expect(preprocessSync([["a", 1], ["ab", 2], undefined])).toEqual({ v: 2, root: [["a", "a", 1], ["ab", 2], ["u"]] });
    expect(preprocessSync([["a", 1], ["ab", 2]])).toEqual({ v: 2, json: [["a", 1], ["ab", 2]] });
  });

  it("is unchanged by a JSON round trip", () => {
    const value = { map: new Map([[{ k: 1 }, new Set([1n])]]), error: new TypeError("t", { cause: 1 }), bytes: Uint8Array.of(1, 2) };
    const intermediate = preprocessSync(value);
    expect(JSON.parse(JSON.stringify(intermediate))).toStrictEqual(JSON.parse(JSON.stringify(intermediate)));
    expect(JSON.parse(JSON.stringify(intermediate))).toEqual(intermediate);
  });

  it(`moves containers past ${MAX_NESTING} levels to deep, so the JSON stays shallow however deep the value is`, () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = { child: [deep, new Map([[i, deep]])] };
    const intermediate = preprocessSync(deep);
    expect((intermediate as { deep?: unknown[] }).deep?.length).toBeGreaterThan(10_000 / MAX_NESTING);
    expect(jsonDepth(intermediate)).toBeLessThanOrEqual(MAX_NESTING + 4);
  });

  it("refers to objects by number past the first 32, where numbering moves from a list to a Map", () => {
    const objects = Array.from({ length: 100 }, (_, i) => ({ i, at: new Date(i) }));
    const back = postprocess(preprocessSync([objects, [...objects].reverse()])) as { i: number; at: Date }[][];
    expect(back[1].map((object) => object.i)).toEqual(objects.map((object) => object.i).reverse());
    back[1].forEach((object, i) => expect(object).toBe(back[0][99 - i]));
  });

  it("writes each shared object once", () => {
    const shared = { big: "x".repeat(1000) };
    const intermediate = preprocessSync(Array.from({ length: 100 }, () => shared));
    expect(JSON.stringify(intermediate).match(/x{1000}/g)).toHaveLength(1);
    expect(JSON.stringify(intermediate).length).toBeLessThan(2000);
  });

  it("shares no mutable state between results", () => {
    const first = rootOf([undefined, NaN]);
    // A caller scribbling on one result must not change the next.
    expect(() => first[0].push("junk")).toThrow(TypeError);
    expect(preprocessSync([undefined, NaN])).toEqual({ v: 2, root: [["u"], ["n", "NaN"]] });
  });

  it("does not change the Intermediate it reads, nor share objects with it", () => {
    const intermediate = preprocessSync({ list: [1, 2], map: new Map([["a", { b: 1 }]]) });
    const before = JSON.stringify(intermediate);
    const first = postprocess(intermediate) as { list: number[] };
    postprocess(intermediate);
    expect(JSON.stringify(intermediate)).toBe(before);
    expect(first.list).not.toBe((intermediate as { root?: { list?: unknown } }).root?.list);
  });
});

describe("the string form", () => {
  const plain = { id: "user-1", tags: ["a", "b"], scores: [1.5, -2, 0], nested: { ok: true, none: null }, "": "", __proto__text: "x" };
  const notPlain: [string, () => unknown][] = [
    ["a Date", () => ({ at: new Date(0) })],
    ["undefined", () => ({ a: undefined })],
    ["-0", () => [-0]],
    ["a hole", () => [1, , 3]], // eslint-disable-line no-sparse-arrays
    ["a shared object", () => {
      const shared = { s: 1 };
      return { a: shared, b: shared };
    }],
    ["an object shared after the first 32", () => {
      const objects = Array.from({ length: 100 }, (_, i) => ({ i }));
      return [objects, objects[99], objects[40]];
    }],
    ["a cycle", () => {
      const node: Record<string, unknown> = {};
      node.self = node;
      return node;
    }],
    ["a class instance", () => [new (class Point { x = 1 })()]],
    ["a toJSON method on an array", () => Object.assign([1, 2], { toJSON: () => "replaced" })],
    ["a hidden toJSON on an object", () => Object.defineProperty({ a: 1 }, "toJSON", { value: () => "replaced" })],
    ["nesting past the limit", () => {
      let value: unknown = "bottom";
      for (let i = 0; i < MAX_NESTING + 1; i++) value = [value];
      return value;
    }],
  ];

  it("writes plain JSON data as the same text preprocess gives", async () => {
    expect(stringifySync(plain)).toBe(JSON.stringify(preprocessSync(plain)));
    expect(await stringify(plain)).toBe(JSON.stringify(preprocessSync(plain)));
    expect(JSON.parse(stringifySync(plain))).toEqual({ v: 2, json: plain });
    expect(parse(stringifySync(plain))).toStrictEqual(plain);
  });

  it.each(notPlain)("writes a value with %s as preprocess does, and rebuilds it", (_name, make) => {
    const value = make();
    expect(stringifySync(value)).toBe(JSON.stringify(preprocessSync(value)));
    expect(parse(stringifySync(value))).toStrictEqual(postprocess(preprocessSync(value)));
  });

  it("ignores toJSON as structuredClone does", () => {
    const list = Object.assign([1, 2], { toJSON: () => "replaced" });
    expect(parse(stringifySync(list))).toStrictEqual([1, 2]);
    expect(parse(stringifySync({ inner: Object.defineProperty({ a: 1 }, "toJSON", { value: () => "replaced" }) }))).toStrictEqual({ inner: { a: 1 } });
  });

  it("calls a getter on plain JSON data twice, where preprocess calls it once", () => {
    // The price of not copying plain data (see lib/structured-clone/plain-json.ts).
    let reads = 0;
    const value = {
      get counted() {
        return ++reads;
      },
    };
    expect(parse(stringifySync(value))).toEqual({ counted: 2 });
    reads = 0;
    expect(postprocess(preprocessSync(value))).toEqual({ counted: 1 });
  });
});
