import { afterEach, describe, expect, it } from "vitest";
import { DataCloneError, parse, postprocess, type Intermediate } from "../../lib/structured-clone";

/** An Intermediate around `root` (and `deep`, if given), as JSON text. */
function text(root: unknown, deep?: unknown[]): string {
  return JSON.stringify(deep === undefined ? { v: 2, root } : { v: 2, root, deep });
}

/** The error `attempt()` throws, which must be a DataCloneError. */
function thrown(attempt: () => unknown, what: string): DataCloneError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(DataCloneError);
    return error as DataCloneError;
  }
  throw new Error(`${what} accepted the input`);
}

/**
 * The DataCloneError `parse(input)` throws. Where the input is JSON,
 * `postprocess` of it must refuse it with the same message: adopting and
 * copying run the same checks.
 */
function refusal(input: string): DataCloneError {
  const error = thrown(() => parse(input), "parse");
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch {
    return error;
  }
  expect(thrown(() => postprocess(json as Intermediate), "postprocess").message).toBe(error.message);
  return error;
}

const nested = (depth: number, open: string, close: string, inner = "0") => open.repeat(depth) + inner + close.repeat(depth);

afterEach(() => {
  // No case may leave anything behind on the shared prototypes.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
});

/** Both decoders: adopting what JSON.parse made, and copying. */
const decoders: [string, (input: string) => unknown][] = [
  ["parse", (input) => parse(input)],
  ["postprocess", (input) => postprocess(JSON.parse(input) as Intermediate)],
];

describe.each(decoders)("prototype keys stay data, through %s", (_name, decode) => {
  it("makes a __proto__ key an own property and leaves the prototype alone", () => {
    for (const input of ['{"v":2,"root":{"__proto__":{"polluted":true},"a":1,"u":["u"]}}', '{"v":2,"json":{"__proto__":{"polluted":true},"a":1}}']) {
      const value = decode(input) as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: true });
      expect(value.polluted).toBeUndefined();
      expect(value.a).toBe(1);
    }
  });

  it("assigns a rebuilt value to a __proto__ key as an own property", () => {
    const value = decode('{"v":2,"root":{"__proto__":["m","polluted",true]}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual(new Map([["polluted", true]]));
  });

  it("makes constructor and prototype keys own properties", () => {
    const value = decode('{"v":2,"root":{"constructor":{"prototype":{"polluted":true}},"u":["u"]}}') as { constructor: { prototype: unknown } };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "constructor")).toBe(true);
    expect(value.constructor.prototype).toEqual({ polluted: true });
    expect(Object.prototype.constructor).toBe(Object);
  });

  it("keeps a __proto__ key on an error as data", () => {
    const error = decode(text(["e", "TypeError", "m", null, "__proto__", { polluted: true }])) as Error;
    expect(Object.getPrototypeOf(error)).toBe(TypeError.prototype);
    expect(Object.getOwnPropertyDescriptor(error, "__proto__")?.value).toEqual({ polluted: true });
  });

  it("treats prototype-ish error names as names, not lookups", () => {
    for (const name of ["__proto__", "constructor", "toString", "prototype"]) {
      const error = decode(text(["e", name, "m", null])) as Error;
      expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
      expect(error.name).toBe(name);
    }
  });

  it("still rebuilds a key that Object.prototype holds read-only, as in hardened JS", () => {
    Object.defineProperty(Object.prototype, "lockedDown", { value: "inherited", writable: false, configurable: true });
    try {
      const value = decode(text({ lockedDown: "own", u: ["u"] })) as { lockedDown: string };
      expect(Object.getOwnPropertyDescriptor(value, "lockedDown")).toEqual({ value: "own", writable: true, enumerable: true, configurable: true });
    } finally {
      delete (Object.prototype as { lockedDown?: string }).lockedDown;
    }
  });

  it("ignores a __proto__ key on the envelope", () => {
    expect(decode('{"v":2,"json":7,"__proto__":{"polluted":true}}')).toBe(7);
  });
});

describe("prototype-ish type names are names, not lookups", () => {
  it("refuses __proto__ as a typed array kind", () => {
    expect(refusal(text(["t", "__proto__", ["B", ""], 0, 0])).message).toMatch(/at root\[1\]: "__proto__" is not a typed array/);
    expect(refusal(text(["t", "__proto__", []])).message).toMatch(/at root\[1\]: "__proto__" is not a typed array/);
  });
});

describe("malformed input is refused with what is wrong and where", () => {
  it("says exactly where a reference points past the objects rebuilt so far", () => {
    const error = refusal(text({ a: [1, ["r", 17]] }));
    expect(error.code).toBe("MALFORMED");
    expect(error.name).toBe("DataCloneError");
    expect(error.message).toBe(
      "Malformed structured-clone input at root.a[1]: reference 17 points past the 2 objects rebuilt before it. Pass parse()/postprocess() only what stringify()/preprocess() produced, unchanged.",
    );
  });

  it.each([
    ["text that is not JSON", "{not json", /the text is not valid JSON/],
    ["a number at the top level", "42", /expected \{ v: 2, root \} or \{ v: 2, json \}, got 42/],
    ["an array at the top level", "[1]", /got an array of length 1/],
    ["null at the top level", "null", /got null/],
    ["an unknown version", JSON.stringify({ v: 3, json: 1 }), /at v: version 3 is not one this build reads \(it reads 2\)/],
    ["the version an older build wrote", JSON.stringify({ v: 1, root: 1, objects: [] }), /at v: version 1 is not one this build reads \(it reads 2\)/],
    ["a missing version", JSON.stringify({ json: 1 }), /version undefined/],
    ["a missing root", JSON.stringify({ v: 2 }), /: root is missing/],
    ["both root and json", JSON.stringify({ v: 2, root: 1, json: 1 }), /: it has both root and json/],
    ["deep that is not an array", JSON.stringify({ v: 2, root: 1, deep: {} }), /at deep: expected an array, got an object/],
    ["deep with json", JSON.stringify({ v: 2, json: 1, deep: [] }), /at deep: deep goes with root, not json/],
    ["a negative reference", text(["r", -1]), /at root: reference -1 is negative/],
    ["a fractional reference", text([{}, ["r", 0.5]]), /at root\[1\]: reference 0\.5 is not a whole number/],
    ["a string reference", text([{}, ["r", "0"]]), /reference "0" is not a whole number/],
    ["a reference with extra elements", text([{}, ["r", 0, 1]]), /a reference must be \["r", number\], got 3 elements/],
    ["a reference to an object not rebuilt yet", text({ a: ["r", 1] }), /at root\.a: reference 1 points past the 1 objects rebuilt before it/],
    ["an unknown tag", text(["z"]), /at root: unknown tag "z"/],
    ["a tag in an odd place", text({ "key with spaces": [1, ["q"]] }), /at root\["key with spaces"\]\[1\]: unknown tag "q"/],
    ["undefined with an argument", text(["u", 1]), /undefined must be \["u"\]/],
    ["an unknown special number", text(["n", "nan"]), /"nan" is not one of the special numbers/],
    ["a BigInt that is not decimal", text(["b", "0x10"]), /BigInt "0x10" is not a decimal integer/],
    ["a BigInt given as a number", text(["b", 10]), /BigInt 10 is not a decimal integer/],
    ["a deep index past the list", text(["D", 0]), /at root: 0 is not an index into deep \(0 entries\)/],
    ["a deep index that is a string", text(["D", "0"], [{}]), /"0" is not an index into deep \(1 entries\)/],
    ["a deep entry used twice", text([["D", 0], ["D", 0]], [{ a: 1 }]), /at root\[1\]: deep\[0\] is used twice/],
    ["a deep entry that is not a container", text(["D", 0], [["d", 5]]), /at deep\[0\]: a deep entry must be an object, an array, or a tagged "a", "A", "m", "s" or "e"/],
    ["a deep entry that is a primitive", text(["D", 0], [5]), /at deep\[0\]: a deep entry must be .*, got 5/],
    ["a deep entry standing for itself", text(["D", 0], [["D", 0]]), /at deep\[0\]: a deep entry must be/],
    ["a Map key without a value", text(["m", 1]), /at root: expected \["m", key, value, \.\.\.\], but a key has no value/],
    ["an error property key that is not a string", text(["e", "Error", "m", null, 1, 2]), /at root\[4\]: a key must be a string, got 1/],
    ["an error property without a value", text(["e", "Error", "m", null, "k"]), /expected \["e", name, message, stack, key, value, \.\.\.\], got 5 elements/],
    ["a negative array length", text(["A", -1]), /at root\[1\]: an array length must be a whole number below 2\^32, got -1/],
    ["an array length of 2^32", text(["A", 2 ** 32]), /an array length must be a whole number below 2\^32/],
    ["an array index past the length", text(["A", 2, 5, 1]), /at root\[2\]: index 5 is not inside the array's length 2/],
    ["an array index that is a string", text(["A", 2, "0", 1]), /index "0" is not inside/],
    ["an array index without a value", text(["A", 2, 0]), /but a key has no value/],
    ["a Date with a string time", text(["d", "2020-01-01"]), /at root\[1\]: a Date's time must be a number or null/],
    ["a Date with extra elements", text(["d", 0, 1]), /at root: expected \["d", epochMs \| null\] \(2 elements\), got 3 elements/],
    ["an invalid RegExp", text(["x", "(", "", 0]), /at root: the RegExp is invalid/],
    ["RegExp flags that do not exist", text(["x", "a", "zq", 0]), /the RegExp is invalid/],
    ["a negative lastIndex", text(["x", "a", "", -1]), /lastIndex must be a whole number, got -1/],
    ["an ArrayBuffer that is not base64", text(["B", "*not base64*"]), /at root\[1\]: binary data is not valid base64/],
    ["an ArrayBuffer that is not a string", text(["B", [1, 2]]), /binary data must be a string/],
    ["an unknown view kind", text(["t", "Uint128Array", ["B", ""], 0, 0]), /"Uint128Array" is not a typed array or DataView this runtime has/],
    ["a view with the wrong number of elements", text(["t", "Uint8Array", ["B", ""], 0]), /expected \["t", kind, buffer, byteOffset, length\] or \["t", kind, \[element, \.\.\.\]\], got 4 elements/],
    ["a view of something that is not an ArrayBuffer", text(["t", "Uint8Array", { a: 1 }, 0, 0]), /at root\[2\]: a Uint8Array's buffer must be an ArrayBuffer \("B" or a reference to one\), got an object/],
    ["a view of an object referred to", text([{}, ["t", "Uint8Array", ["r", 1], 0, 0]]), /at root\[1\]\[2\]: a Uint8Array's buffer must be an ArrayBuffer/],
    ["a view of itself", text(["t", "Uint8Array", ["r", 0], 0, 0]), /a Uint8Array's buffer must be an ArrayBuffer .*, got undefined/],
    ["a view longer than its buffer", text(["t", "Uint8Array", ["B", "AAAA"], 1, 3]), /at root: a Uint8Array of 3 elements at byte 1 does not fit \(aligned\) in its 3-byte buffer/],
    ["a misaligned view", text(["t", "Uint32Array", ["B", "AAAAAAAA"], 1, 1]), /does not fit \(aligned\)/],
    ["a view with a fractional offset", text(["t", "Uint8Array", ["B", "AAAA"], 0.5, 1]), /byteOffset and length must be whole numbers, got 0\.5 and 1/],
    ["a small view of a DataView", text(["t", "DataView", [1]]), /"DataView" is not a typed array this runtime has/],
    ["a small view of BigInts", text(["t", "BigInt64Array", [1]]), /at root\[2\]: a BigInt64Array is written with its buffer, not as a list of numbers/],
    ["a small view whose elements are not a list", text(["t", "Uint8Array", "AAAA"]), /at root\[2\]: expected a list of numbers, got "AAAA"/],
    ["a small view with an element that is not a number", text(["t", "Uint8Array", [1, "2"]]), /at root\[2\]\[1\]: a Uint8Array element must be a number, got "2"/],
    ["an Error without a message", text(["e", "Error"]), /expected \["e", name, message, stack, key, value, \.\.\.\], got 2 elements/],
    ["an Error whose name is not a string", text(["e", 1, "m", null]), /at root\[1\]: an Error's name must be a string, got 1/],
    ["an Error whose stack is a number", text(["e", "Error", "m", 5]), /an Error's stack must be a string or null, got 5/],
    ["a boxed reference", text([{}, ["w", ["r", 1]]]), /at root\[1\]\[1\]: only a boolean, number, string or BigInt can be boxed/],
    ["a boxed null", text(["w", null]), /can be boxed, got null/],
    ["a boxed container", text(["w", ["m"]]), /can be boxed, got an array of length 1/],
    ["an invalid header name", text(["H", "bad name", "v"]), /at root: header "bad name" is not valid/],
    ["a header without a value", text(["H", "a"]), /headers must be a flat \[name, value, \.\.\.\] list/],
    ["an invalid URL", text(["U", "not a url"]), /at root\[1\]: "not a url" is not a valid URL/],
    ["a Request with an invalid URL", text(["R", "GET", "/relative", [], null]), /the Request could not be rebuilt/],
    ["a GET Request with a body", text(["R", "GET", "https://example.test/", [], "aGk="]), /the Request could not be rebuilt/],
    ["a Request with headers that are not a list", text(["R", "GET", "https://example.test/", {}, null]), /at root\[3\]: headers must be a flat/],
    ["a Request with a header that is not a pair of strings", text(["R", "GET", "https://example.test/", ["a", 1], null]), /at root\[3\]: header 0 is not a pair of strings/],
    ["a Response with status 999", text(["S", 999, "", [], null]), /the Response could not be rebuilt/],
    ["a Response with a string status", text(["S", "200", "", [], null]), /a Response's status must be a whole number, got "200"/],
  ])("refuses %s", (_name, input, message) => {
    const error = refusal(input);
    expect(error.code).toBe("MALFORMED");
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Pass parse\(\)\/postprocess\(\) only what stringify\(\)\/preprocess\(\) produced/);
  });

  it.each([
    ['{"v":2,"json":1,"root":2}', /it has both root and json/],
    ['{"v":2,"json":1},{"v":2,"json":2}', /not valid JSON/],
    ['{"v":2,"json":{"a":1},"deep":[]}', /deep goes with root, not json/],
    ['{"v":2,"json":[1,2}', /not valid JSON/],
  ])("reads text that begins like plain JSON data but is not, %s, as the full format, and refuses it", (text, message) => {
    expect(() => parse(text)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(message) }));
  });

  it("reads plain JSON data with a __proto__ key as data, on the short path too", () => {
    const value = parse('{"v":2,"json":{"__proto__":{"polluted":true},"n":[1,{"x":null}]}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(value.n).toEqual([1, { x: null }]);
  });

  it("refuses input that is not a string", () => {
    expect(() => parse(undefined as never)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/takes a string, got undefined/) }));
  });

  it("refuses JavaScript values that JSON cannot hold, given to postprocess directly", () => {
    const withFunction = { v: 2, root: { f: () => 1 } } as unknown as Intermediate;
    expect(() => postprocess(withFunction)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/at root\.f: expected JSON data, got function/) }));
    const withUndefined = { v: 2, root: undefined } as unknown as Intermediate;
    expect(() => postprocess(withUndefined)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/at root: expected JSON data, got undefined/) }));
    const withDate = { v: 2, json: [1, { when: new Date(0) }] } as unknown as Intermediate;
    expect(() => postprocess(withDate)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/at json\[1\]\.when: expected JSON data, got a Date object/) }));
  });

  it("refuses a live object that contains itself, given to postprocess directly, rather than looping", () => {
    const node: Record<string, unknown> = { name: "loop" };
    node.self = node;
    for (const intermediate of [{ v: 2, root: node }, { v: 2, json: node }]) {
      expect(() => postprocess(intermediate as Intermediate)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/appears twice in the input/) }));
    }
  });
});

describe("absurd nesting is refused or rebuilt, never a stack overflow", () => {
  it("refuses 100,000 nested JSON arrays as the whole text", () => {
    expect(refusal(nested(100_000, "[", "]")).message).toMatch(/expected \{ v: 2, root \} or \{ v: 2, json \}, got an array of length 1/);
  });

  it.each(decoders)("rebuilds 100,000 nested JSON arrays and objects as data, through %s", (_name, decode) => {
    for (const key of ["root", "json"]) {
      let value = decode(`{"v":2,"${key}":${nested(100_000, '[{"a":', "}]")}}`) as unknown;
      let depth = 0;
      while (Array.isArray(value)) {
        value = (value[0] as { a: unknown }).a;
        depth++;
      }
      expect([depth, value]).toEqual([100_000, 0]);
    }
  });

  it("refuses 1,000,000 nested JSON arrays, whether or not JSON.parse can read them", () => {
    const error = refusal(nested(1_000_000, "[", "]"));
    expect(error.code).toBe("MALFORMED");
  });
});

describe("odd but valid input gives plain values", () => {
  it("lets later duplicate keys win", () => {
    expect(parse('{"v":2,"root":{"a":1,"a":2}}')).toEqual({ a: 2 });
  });

  it("rebuilds deep entries nothing refers to without using them", () => {
    expect(parse(text("root", [{ unused: 1 }, ["m"]]))).toBe("root");
  });

  it("rebuilds a Map that contains itself as a key", () => {
    const map = parse(text(["m", ["r", 0], ["r", 0]])) as Map<unknown, unknown>;
    expect(map.get(map)).toBe(map);
  });

  it("reads arrays as arrays unless they start with a one-character string", () => {
    expect(parse(text([[], ["zz"], ["a", "z"]]))).toEqual([[], ["zz"], ["z"]]);
    expect(parse('{"v":2,"json":[["a","b"],["r",0]]}')).toEqual([["a", "b"], ["r", 0]]);
  });
});
