import { describe, expect, it } from "vitest";
import { pipelines } from "./pipelines";

// Any: the checks reach into whatever each case built.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Check = (ours: any, platform: any) => void;

/** Values both sides must rebuild identically; `check` covers what deep equality cannot see. */
const cases: [name: string, make: () => unknown, check?: Check][] = [
  ["mixed primitives", () => ["text", 1.5, true, null, undefined, 10n, ""]],
  [
    "special numbers",
    () => [-0, NaN, Infinity, -Infinity],
    (ours, platform) => {
      expect(Object.is(ours[0], -0)).toBe(Object.is(platform[0], -0));
      expect(Number.isNaN(ours[1])).toBe(true);
    },
  ],
  ["nested plain objects", () => ({ a: { b: { c: [1, { d: "e" }] } }, f: [] })],
  [
    "shared references",
    () => {
      const shared = { id: 1 };
      return { x: shared, y: shared };
    },
    (ours, platform) => expect(ours.x === ours.y).toBe(platform.x === platform.y),
  ],
  [
    "a cycle",
    () => {
      const node: Record<string, unknown> = { name: "n" };
      node.self = node;
      node.children = [node];
      return node;
    },
    (ours) => {
      expect(ours.self).toBe(ours);
      expect(ours.children[0]).toBe(ours);
    },
  ],
  [
    "a sparse array",
    // eslint-disable-next-line no-sparse-arrays
    () => [1, , 3, , ,],
    (ours, platform) => {
      expect(ours.length).toBe(platform.length);
      expect(1 in ours).toBe(1 in platform);
      expect(Object.keys(ours)).toEqual(Object.keys(platform));
    },
  ],
  [
    "Dates, valid and invalid",
    () => [new Date(0), new Date(8.64e15), new Date(NaN)],
    (ours, platform) => expect(ours.map(Number)).toEqual(platform.map(Number)),
  ],
  [
    "RegExps",
    () => [/x+/gi, /\//u, new RegExp("a|b", "s")],
    (ours, platform) => expect(ours.map(String)).toEqual(platform.map(String)),
  ],
  [
    "a Map with object keys",
    () => {
      const key = { k: 1 };
      return { key, map: new Map<unknown, unknown>([[key, "v"], ["s", new Set([1])]]) };
    },
    (ours, platform) => expect(ours.map.get(ours.key)).toBe(platform.map.get(platform.key)),
  ],
  ["a Set", () => new Set([1, "1", { one: 1 }, [1]])],
  ["an ArrayBuffer", () => Uint8Array.of(1, 2, 3, 250).buffer],
  [
    "every typed array kind",
    () => [
      Int8Array.of(-1),
      Uint8Array.of(1),
      Uint8ClampedArray.of(2),
      Int16Array.of(-3),
      Uint16Array.of(4),
      Int32Array.of(-5),
      Uint32Array.of(6),
      Float32Array.of(0.5),
      Float64Array.of(-0.25),
      BigInt64Array.of(-7n),
      BigUint64Array.of(8n),
    ],
  ],
  ["a DataView", () => new DataView(Uint8Array.of(9, 8, 7, 6).buffer, 1, 2)],
  [
    "views sharing a buffer",
    () => {
      const buffer = new ArrayBuffer(8);
      return [new Uint8Array(buffer), new Uint16Array(buffer, 2, 2)];
    },
    (ours, platform) => expect(ours[0].buffer === ours[1].buffer).toBe(platform[0].buffer === platform[1].buffer),
  ],
  ["boxed primitives", () => [Object(true), Object(3), Object("s"), Object(4n)]],
  [
    "a class instance",
    () =>
      new (class Point {
        constructor(
          public x: number,
          public y: number,
        ) {}
        norm() {
          return Math.hypot(this.x, this.y);
        }
      })(1, 2),
    (ours, platform) => expect(Object.getPrototypeOf(ours)).toBe(Object.getPrototypeOf(platform)),
  ],
  ["symbol keys and non-enumerable properties", () => Object.defineProperty({ [Symbol("s")]: 1, seen: 2 }, "hidden", { value: 3, enumerable: false })],
  ["a getter, read once", () => ({ get computed() { return 42; } })],
];

describe.each(pipelines)("%s rebuilds what structuredClone rebuilds", (_name, roundTrip) => {
  it.each(cases)("for %s", async (_case, make, check) => {
    const value = make();
    const ours = await roundTrip(value);
    const platform = structuredClone(value);
    expect(ours).toStrictEqual(platform);
    check?.(ours, platform);
  });
});

describe("where structuredClone keeps less", () => {
  const [, roundTrip] = pipelines[1];

  it("rebuilds built-in errors with a cause as the platform does, keeping stack and cause hidden as on the original", async () => {
    const errors = [new TypeError("t", { cause: new RangeError("r") }), new Error("plain"), new SyntaxError("s")];
    const ours = await roundTrip(errors);
    const platform = structuredClone(errors);
    expect(ours.map(Object.getPrototypeOf)).toEqual(platform.map(Object.getPrototypeOf));
    expect(ours.map((e: Error) => e.message)).toEqual(platform.map((e: Error) => e.message));
    expect((ours[0].cause as Error).message).toBe((platform[0].cause as Error).message);
    expect(ours.map((e: Error) => e.stack)).toEqual(platform.map((e: Error) => e.stack));
    // workerd (2026-11) makes `stack` and `cause` enumerable on its clone; an Error made by `new` has neither enumerable.
    expect(Object.keys(platform[0])).toEqual(["stack", "cause"]);
    expect(Object.keys(ours[0])).toEqual(Object.keys(errors[0]));
  });

  it("keeps a custom error name and extra properties, as the platform now does", async () => {
    const error = Object.assign(new Error("bad"), { name: "ValidationError", status: 400 });
    const ours = await roundTrip(error);
    const platform = structuredClone(error);
    expect([ours.name, ours.status]).toEqual(["ValidationError", 400]);
    expect([platform.name, platform.status]).toEqual([ours.name, ours.status]);
  });

  it("keeps a RegExp's lastIndex, which the platform resets", async () => {
    const regexp = /a/g;
    regexp.lastIndex = 5;
    expect(structuredClone(regexp).lastIndex).toBe(0);
    expect((await roundTrip(regexp)).lastIndex).toBe(5);
  });

  it("keeps Requests and Responses with a body, which the platform refuses", async () => {
    const request = () => new Request("https://example.test/submit", { method: "POST", body: "order-42" });
    const response = () => new Response("declined", { status: 402 });
    expect(() => structuredClone(request())).toThrow(/ReadableStream can only be serialized for RPC/);
    expect(() => structuredClone(response())).toThrow(/ReadableStream can only be serialized for RPC/);
    const back = await roundTrip({ request: request(), response: response() });
    expect([await back.request.text(), await back.response.text(), back.response.status]).toEqual(["order-42", "declined", 402]);
  });

  it("rebuilds 100,000 levels of nesting, where the platform overflows its stack", async () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(() => structuredClone(deep)).toThrow(RangeError);
    let back = await roundTrip(deep);
    let levels = 0;
    for (; Array.isArray(back); levels++) back = back[0];
    expect([levels, back]).toEqual([100_000, "bottom"]);
  });

  it("keeps URLs, which the platform refuses", async () => {
    const url = new URL("https://example.test/");
    expect(() => structuredClone(url)).toThrow(/URL/);
    expect((await roundTrip(url)).href).toBe(url.href);
  });
});

describe("where structuredClone keeps more", () => {
  it("drops named properties of an array, which the platform keeps", async () => {
    // Deliberate: finding them would cost an Object.keys over every array.
    const [, roundTrip] = pipelines[1];
    const match = Object.assign([1, 2], { note: "extra" });
    expect(structuredClone(match).note).toBe("extra");
    expect((await roundTrip(match)).note).toBeUndefined();
  });
});
