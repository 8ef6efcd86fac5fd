import { describe, expect, it } from "vitest";
import { pipelines } from "./pipelines";

describe.each(pipelines)("round trip through %s", (_name, roundTrip) => {
  describe("primitives", () => {
    it("keeps strings, booleans, null and undefined", async () => {
      const value = ["", "héllo 🌍", "lone \ud800 surrogate", true, false, null, undefined];
      const back = await roundTrip(value);
      expect(back).toStrictEqual(value);
      expect(back.length).toBe(7);
      expect(6 in back).toBe(true);
    });

    it("keeps -0, NaN and the infinities", async () => {
      const [zero, negativeZero, nan, plus, minus, max, tiny] = await roundTrip([0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, 5e-324]);
      expect(Object.is(zero, 0)).toBe(true);
      expect(Object.is(negativeZero, -0)).toBe(true);
      expect(Number.isNaN(nan)).toBe(true);
      expect(plus).toBe(Infinity);
      expect(minus).toBe(-Infinity);
      expect(max).toBe(Number.MAX_VALUE);
      expect(tiny).toBe(5e-324);
    });

    it("keeps BigInts of any size and sign", async () => {
      const huge = 2n ** 200n + 1n;
      expect(await roundTrip([0n, -1n, huge, -huge])).toStrictEqual([0n, -1n, huge, -huge]);
    });

    it("keeps a primitive at the top level", async () => {
      expect(await roundTrip("just a string")).toBe("just a string");
      expect(await roundTrip(undefined)).toBeUndefined();
      expect(Object.is(await roundTrip(-0), -0)).toBe(true);
      expect(await roundTrip(12n)).toBe(12n);
    });
  });

  describe("objects and arrays", () => {
    it("keeps nested plain objects and their key order", async () => {
      const value = { b: 1, a: { z: [1, { deep: "yes" }], y: null }, "key with spaces": 2, "": 3 };
      const back = await roundTrip(value);
      expect(back).toStrictEqual(value);
      expect(Object.keys(back)).toEqual(["b", "a", "key with spaces", ""]);
    });

    it("keeps shared references as one object", async () => {
      const shared = { n: 1 };
      const back = await roundTrip({ x: shared, y: shared, list: [shared] });
      expect(back.x).toBe(back.y);
      expect(back.list[0]).toBe(back.x);
    });

    it("keeps cycles through objects, arrays, Maps and Sets", async () => {
      const node: Record<string, unknown> = { name: "root" };
      const list: unknown[] = [node];
      node.self = node;
      node.list = list;
      list.push(list);
      node.map = new Map<unknown, unknown>([[node, list]]);
      node.set = new Set([node]);
      const back = await roundTrip(node);
      expect(back.self).toBe(back);
      const backList = back.list as unknown[];
      expect(backList[0]).toBe(back);
      expect(backList[1]).toBe(backList);
      expect((back.map as Map<unknown, unknown>).get(back)).toBe(backList);
      expect((back.set as Set<unknown>).has(back)).toBe(true);
    });

    it("keeps undefined elements distinct from holes", async () => {
      const back = await roundTrip([undefined, 1]);
      expect(0 in back).toBe(true);
      expect(back).toStrictEqual([undefined, 1]);
    });

    it("keeps holes as holes, and the length", async () => {
      // eslint-disable-next-line no-sparse-arrays
      const sparse = [1, , 3, , ,];
      const back = await roundTrip(sparse);
      expect(back.length).toBe(5);
      expect(1 in back).toBe(false);
      expect(3 in back).toBe(false);
      expect(4 in back).toBe(false);
      expect(back[2]).toBe(3);
      expect(back).toStrictEqual(sparse);
    });

    it("keeps a huge sparse array cheaply", async () => {
      const sparse: number[] = [];
      sparse[4_000_000_000] = 7;
      sparse[2] = 1;
      const back = await roundTrip(sparse);
      expect(back.length).toBe(4_000_000_001);
      expect(back[4_000_000_000]).toBe(7);
      expect(back[2]).toBe(1);
      expect(Object.keys(back)).toEqual(["2", "4000000000"]);
    });

    it("turns class instances into plain objects of their own enumerable properties", async () => {
      class Point {
        hidden = 0;
        constructor(public x: number, public y: number) {
          Object.defineProperty(this, "hidden", { enumerable: false });
        }
        get length() {
          return Math.hypot(this.x, this.y);
        }
      }
      const back = await roundTrip(new Point(3, 4));
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(back).toStrictEqual({ x: 3, y: 4 });
    });

    it("skips symbol-keyed properties", async () => {
      const back = await roundTrip({ [Symbol("secret")]: 1, visible: 2 });
      expect(Object.getOwnPropertySymbols(back)).toEqual([]);
      expect(back).toStrictEqual({ visible: 2 });
    });

    it("keeps an own __proto__ key as data without touching any prototype", async () => {
      const value = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
      const back = await roundTrip(value);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ polluted: true });
      expect(back.ok).toBe(1);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("keeps an object with a null prototype as a plain object", async () => {
      const value = Object.assign(Object.create(null) as object, { a: 1 });
      expect(await roundTrip(value)).toEqual({ a: 1 });
    });
  });

  describe("built-in types", () => {
    it("keeps Dates, including invalid ones", async () => {
      const [date, invalid, early] = await roundTrip([new Date("2024-02-29T12:34:56.789Z"), new Date("nope"), new Date(-8.64e15)]);
      expect(date).toBeInstanceOf(Date);
      expect(date.toISOString()).toBe("2024-02-29T12:34:56.789Z");
      expect(invalid).toBeInstanceOf(Date);
      expect(Number.isNaN(invalid.getTime())).toBe(true);
      expect(early.getTime()).toBe(-8.64e15);
    });

    it("keeps a RegExp's source, flags and lastIndex", async () => {
      const regexp = /a(?<word>b+)\/c/dgimsuy;
      regexp.lastIndex = 3;
      const back = await roundTrip(regexp);
      expect(back).toBeInstanceOf(RegExp);
      expect(back.source).toBe(regexp.source);
      expect(back.flags).toBe(regexp.flags);
      expect(back.lastIndex).toBe(3);
      expect(back).not.toBe(regexp);
    });

    it("keeps Maps, in order, with object keys that keep their identity", async () => {
      const key = { id: 1 };
      const map = new Map<unknown, unknown>([
        [key, "object key"],
        ["b", new Date(0)],
        [NaN, "nan key"],
        [2n, undefined],
      ]);
      const back = await roundTrip({ map, key });
      expect([...back.map.keys()][0]).toBe(back.key);
      expect(back.map.get(back.key)).toBe("object key");
      expect(back.map.get("b")).toEqual(new Date(0));
      expect(back.map.get(NaN)).toBe("nan key");
      expect(back.map.has(2n)).toBe(true);
      expect([...back.map.keys()].slice(1)).toEqual(["b", NaN, 2n]);
    });

    it("keeps Sets, in order, with object members that keep their identity", async () => {
      const member = { id: 1 };
      const back = await roundTrip({ set: new Set<unknown>([3, member, "x", -0]), member });
      expect([...back.set]).toEqual([3, back.member, "x", 0]);
      expect(back.set.has(back.member)).toBe(true);
    });

    it("keeps ArrayBuffer bytes", async () => {
      const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
      const back = await roundTrip(bytes.buffer);
      expect(back).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(back)).toEqual(bytes);
    });

    it("keeps every typed array kind and DataView", async () => {
      const views = [
        Int8Array.of(-128, 0, 127),
        Uint8Array.of(0, 255),
        Uint8ClampedArray.of(0, 255),
        Int16Array.of(-32768, 32767),
        Uint16Array.of(65535),
        Int32Array.of(-(2 ** 31), 2 ** 31 - 1),
        Uint32Array.of(2 ** 32 - 1),
        Float32Array.of(1.5, -0, NaN),
        Float64Array.of(Math.PI, -Infinity),
        BigInt64Array.of(-(2n ** 63n), 1n),
        BigUint64Array.of(2n ** 64n - 1n),
        new DataView(Uint8Array.of(1, 2, 3, 4).buffer, 1, 2),
      ];
      const back = await roundTrip(views);
      back.forEach((view, i) => {
        expect(view.constructor).toBe(views[i].constructor);
        expect(view.byteOffset).toBe(views[i].byteOffset);
        expect(view.byteLength).toBe(views[i].byteLength);
        expect(new Uint8Array(view.buffer)).toEqual(new Uint8Array(views[i].buffer));
      });
      expect(Object.is((back[7] as Float32Array)[1], -0)).toBe(true);
    });

    it("keeps Float16Array where the runtime has it", async () => {
      const Float16 = (globalThis as { Float16Array?: new (values: number[]) => ArrayLike<number> }).Float16Array;
      expect(Float16).toBeTypeOf("function");
      const back = await roundTrip(new Float16!([0.5, -2, 65504]));
      expect(back).toBeInstanceOf(Float16!);
      expect(Array.from(back)).toEqual([0.5, -2, 65504]);
    });

    it("keeps views that share a buffer sharing one buffer", async () => {
      const buffer = new ArrayBuffer(16);
      const whole = new Uint8Array(buffer);
      const tail = new Uint32Array(buffer, 8, 2);
      const view = new DataView(buffer, 4, 4);
      whole.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
      const back = await roundTrip({ whole, tail, view, buffer });
      expect(back.tail.buffer).toBe(back.whole.buffer);
      expect(back.view.buffer).toBe(back.whole.buffer);
      expect(back.buffer).toBe(back.whole.buffer);
      expect([back.tail.byteOffset, back.tail.length, back.view.byteOffset, back.view.byteLength]).toEqual([8, 2, 4, 4]);
      back.whole[8] = 0xff;
      expect(back.tail[0] & 0xff).toBe(0xff);
      expect(back.view.getUint8(0)).toBe(5);
    });

    it("keeps boxed primitives", async () => {
      const [yes, no, number, string, big] = await roundTrip([Object(true), Object(false), Object(-0), Object("s"), Object(9n)] as object[]);
      expect(yes).toBeInstanceOf(Boolean);
      expect(yes.valueOf()).toBe(true);
      expect(no.valueOf()).toBe(false);
      expect(number).toBeInstanceOf(Number);
      expect(Object.is(number.valueOf(), -0)).toBe(true);
      expect(string).toBeInstanceOf(String);
      expect(string.valueOf()).toBe("s");
      expect(typeof big).toBe("object");
      expect(big.valueOf()).toBe(9n);
    });
  });

  describe("errors", () => {
    it("rebuilds built-in error classes as themselves", async () => {
      const errors = [new Error("e"), new TypeError("t"), new RangeError("r"), new SyntaxError("s"), new ReferenceError("f"), new EvalError("v"), new URIError("u")];
      const back = await roundTrip(errors);
      back.forEach((error, i) => {
        expect(Object.getPrototypeOf(error)).toBe(Object.getPrototypeOf(errors[i]));
        expect(error.message).toBe(errors[i].message);
        expect(error.name).toBe(errors[i].name);
      });
    });

    it("keeps the stack, the cause chain and extra properties", async () => {
      const root = new RangeError("too big", { cause: { limit: 10 } });
      const error = Object.assign(new Error("outer", { cause: root }), { status: 422, details: { field: "email" } });
      const back = await roundTrip(error);
      expect(back.stack).toBe(error.stack);
      expect(back.status).toBe(422);
      expect(back.details).toEqual({ field: "email" });
      const cause = back.cause as RangeError;
      expect(cause).toBeInstanceOf(RangeError);
      expect(cause.message).toBe("too big");
      expect(cause.stack).toBe(root.stack);
      expect(cause.cause).toEqual({ limit: 10 });
      // As the engine makes it: own, but not enumerable.
      expect(Object.keys(back)).toEqual(["status", "details"]);
      expect(Object.hasOwn(back, "cause")).toBe(true);
    });

    it("keeps a cause of undefined apart from no cause", async () => {
      const [withUndefined, without] = await roundTrip([new Error("a", { cause: undefined }), new Error("b")]);
      expect(Object.hasOwn(withUndefined, "cause")).toBe(true);
      expect(withUndefined.cause).toBeUndefined();
      expect(Object.hasOwn(without, "cause")).toBe(false);
    });

    it("keeps a custom error name on a plain Error", async () => {
      class ValidationError extends Error {
        override name = "ValidationError";
        field = "email";
      }
      const back = await roundTrip(new ValidationError("bad email"));
      expect(back).toBeInstanceOf(Error);
      expect(back.name).toBe("ValidationError");
      expect(back.message).toBe("bad email");
      expect(back.field).toBe("email");
      expect(String(back)).toBe("ValidationError: bad email");
    });

    it("keeps an error without a stack stackless", async () => {
      const error = new Error("no stack");
      delete (error as { stack?: string }).stack;
      const back = await roundTrip(error);
      expect(back.stack).toBeUndefined();
    });

    it("keeps an AggregateError's errors", async () => {
      const back = await roundTrip(new AggregateError([new TypeError("one"), "two"], "both failed"));
      expect(back).toBeInstanceOf(AggregateError);
      expect(back.message).toBe("both failed");
      expect(back.errors).toHaveLength(2);
      expect(back.errors[0]).toBeInstanceOf(TypeError);
      expect(back.errors[1]).toBe("two");
    });

    it("keeps an error that is its own cause", async () => {
      const error = new Error("loop");
      error.cause = error;
      const back = await roundTrip(error);
      expect(back.cause).toBe(back);
    });
  });

  describe("web types", () => {
    it("keeps URLs", async () => {
      const back = await roundTrip(new URL("https://user@example.test:8443/a/b?q=1#frag"));
      expect(back).toBeInstanceOf(URL);
      expect(back.href).toBe("https://user@example.test:8443/a/b?q=1#frag");
    });

    it("keeps Headers, including repeated Set-Cookie", async () => {
      const headers = new Headers({ "content-type": "text/plain", "x-custom": "1" });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      const back = await roundTrip(headers);
      expect(back).toBeInstanceOf(Headers);
      expect([...back]).toEqual([...headers]);
      expect([...back].filter(([name]) => name === "set-cookie").map(([, value]) => value)).toEqual(["a=1", "b=2"]);
    });

    it("keeps a Request's method, url, headers and body, and leaves the original readable", async () => {
      const request = new Request("https://example.test/submit", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hello: "world" }),
      });
      const back = await roundTrip(request);
      expect(back).toBeInstanceOf(Request);
      expect(back.method).toBe("POST");
      expect(back.url).toBe("https://example.test/submit");
      expect(back.headers.get("content-type")).toBe("application/json");
      expect(await back.json()).toEqual({ hello: "world" });
      expect(await request.text()).toBe('{"hello":"world"}');
    });

    it("keeps a Response's status, statusText, headers and binary body", async () => {
      const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i & 255);
      const response = new Response(bytes, { status: 418, statusText: "I'm a teapot", headers: { "x-kind": "teapot" } });
      const back = await roundTrip({ response });
      expect(back.response).toBeInstanceOf(Response);
      expect(back.response.status).toBe(418);
      expect(back.response.statusText).toBe("I'm a teapot");
      expect(back.response.headers.get("x-kind")).toBe("teapot");
      expect(new Uint8Array(await back.response.arrayBuffer())).toEqual(bytes);
      expect(response.bodyUsed).toBe(false);
    });

    it("keeps bodiless Requests and Responses, including a network error", async () => {
      const [get, noContent, failed] = await roundTrip([
        new Request("https://example.test/", { headers: { accept: "text/html" } }),
        new Response(null, { status: 204 }),
        Response.error(),
      ]);
      expect(get.method).toBe("GET");
      expect(get.body).toBeNull();
      expect(get.headers.get("accept")).toBe("text/html");
      expect(noContent.status).toBe(204);
      expect(noContent.body).toBeNull();
      expect(failed.type).toBe("error");
    });
  });

  describe("depth", () => {
    it("keeps 100,000 levels of nested objects", async () => {
      const top: { next?: unknown; level: number } = { level: 0 };
      let node = top;
      for (let level = 1; level <= 100_000; level++) node = (node.next = { level }) as typeof top;
      let back = await roundTrip(top);
      let levels = 0;
      while (back.next !== undefined) {
        back = back.next as typeof top;
        levels++;
      }
      expect(levels).toBe(100_000);
      expect(back.level).toBe(100_000);
    });

    it("keeps 100,000 levels of nested arrays, Maps and Sets", async () => {
      let value: unknown = "bottom";
      for (let level = 0; level < 100_000; level++) {
        value = level % 3 === 0 ? [value] : level % 3 === 1 ? new Map([["k", value]]) : new Set([value]);
      }
      let back = await roundTrip(value);
      for (let level = 100_000 - 1; level >= 0; level--) {
        back = level % 3 === 0 ? (back as unknown[])[0] : level % 3 === 1 ? (back as Map<string, unknown>).get("k") : [...(back as Set<unknown>)][0];
      }
      expect(back).toBe("bottom");
    });

    it("keeps a cause chain 10,000 errors long", async () => {
      let error = new Error("bottom");
      for (let level = 0; level < 10_000; level++) error = new Error(`level ${level}`, { cause: error });
      let back = await roundTrip(error);
      let length = 0;
      while (back.cause !== undefined) {
        back = back.cause as Error;
        length++;
      }
      expect(length).toBe(10_000);
      expect(back.message).toBe("bottom");
    });
  });
});
