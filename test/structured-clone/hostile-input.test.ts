import { afterEach, describe, expect, it } from "vitest";
import { DataCloneError, parse, postprocess, type Intermediate } from "../../lib/structured-clone";

/** An Intermediate around `root` and `objects`, as JSON text. */
function text(root: unknown, objects: unknown[] = []): string {
  return JSON.stringify({ v: 1, root, objects });
}

/** The DataCloneError `parse(input)` throws. */
function refusal(input: string): DataCloneError {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DataCloneError);
    return error as DataCloneError;
  }
  throw new Error("parse accepted the input");
}

const nested = (depth: number, open: string, close: string, inner = "0") => open.repeat(depth) + inner + close.repeat(depth);

afterEach(() => {
  // No case may leave anything behind on the shared prototypes.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
});

describe("prototype keys stay data", () => {
  it("makes a __proto__ key an own property and leaves the prototype alone", () => {
    const value = parse(text(["r", 0], [["o", "__proto__", ["r", 1], "a", 1], ["o", "polluted", true]])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: true });
    expect(value.polluted).toBeUndefined();
    expect(value.a).toBe(1);
  });

  it("makes constructor and prototype keys own properties", () => {
    const value = parse(
      text(["r", 0], [["o", "constructor", ["r", 1]], ["o", "prototype", ["r", 2]], ["o", "polluted", true]]),
    ) as { constructor: { prototype: unknown } };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "constructor")).toBe(true);
    expect(value.constructor.prototype).toEqual({ polluted: true });
    expect(Object.prototype.constructor).toBe(Object);
  });

  it("keeps a __proto__ key on an error as data", () => {
    const error = parse(text(["r", 0], [["e", "TypeError", "m", null, "__proto__", ["r", 1]], ["o", "polluted", true]])) as Error;
    expect(Object.getPrototypeOf(error)).toBe(TypeError.prototype);
    expect(Object.getOwnPropertyDescriptor(error, "__proto__")?.value).toEqual({ polluted: true });
  });

  it("treats prototype-ish error names and view kinds as names, not lookups", () => {
    for (const name of ["__proto__", "constructor", "toString", "prototype"]) {
      const error = parse(text(["r", 0], [["e", name, "m", null]])) as Error;
      expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
      expect(error.name).toBe(name);
    }
    expect(refusal(text(["r", 1], [["B", ""], ["t", "__proto__", 0, 0, 0]])).message).toMatch(/"__proto__" is not a typed array/);
  });

  it("still rebuilds a key that Object.prototype holds read-only, as in hardened JS", () => {
    Object.defineProperty(Object.prototype, "lockedDown", { value: "inherited", writable: false, configurable: true });
    try {
      const value = parse(text(["r", 0], [["o", "lockedDown", "own"]])) as { lockedDown: string };
      expect(Object.getOwnPropertyDescriptor(value, "lockedDown")).toEqual({ value: "own", writable: true, enumerable: true, configurable: true });
    } finally {
      delete (Object.prototype as { lockedDown?: string }).lockedDown;
    }
  });

  it("ignores a __proto__ key on the envelope", () => {
    expect(parse('{"v":1,"root":7,"objects":[],"__proto__":{"polluted":true}}')).toBe(7);
  });
});

describe("malformed input is refused with what is wrong and where", () => {
  it("says exactly where a reference points past the table", () => {
    const error = refusal(text(["r", 17], [["o"], ["o"], ["o"]]));
    expect(error.code).toBe("MALFORMED");
    expect(error.name).toBe("DataCloneError");
    expect(error.message).toBe(
      "Malformed structured-clone input at root: reference 17 points past the 3 objects in the table. Pass parse()/postprocess() only what stringify()/preprocess() produced, unchanged.",
    );
  });

  it.each([
    ["text that is not JSON", "{not json", /the text is not valid JSON/],
    ["a number at the top level", "42", /expected \{ v: 1, root, objects \}, got 42/],
    ["an array at the top level", "[1]", /got an array of length 1/],
    ["null at the top level", "null", /got null/],
    ["an unknown version", JSON.stringify({ v: 2, root: 1, objects: [] }), /at v: version 2 is not one this build reads \(it reads 1\)/],
    ["a missing version", JSON.stringify({ root: 1, objects: [] }), /version undefined/],
    ["objects that are not an array", JSON.stringify({ v: 1, root: 1, objects: {} }), /at objects: expected an array, got an object/],
    ["a missing root", JSON.stringify({ v: 1, objects: [] }), /root is missing/],
    ["a negative reference", text(["r", -1]), /at root: reference -1 is negative/],
    ["a fractional reference", text(["r", 0.5], [["o"]]), /reference 0\.5 is not a whole number/],
    ["a string reference", text(["r", "0"], [["o"]]), /reference "0" is not a whole number/],
    ["a reference with extra elements", text(["r", 0, 1], [["o"]]), /a reference must be \["r", index\], got 3 elements/],
    ["a dangling reference inside an object", text(["r", 0], [["o", "a", ["r", 1]]]), /at objects\[0\]\[2\]: reference 1 points past the 1 objects/],
    ["an unknown value tag", text(["zz"]), /at root: unknown value tag "zz"/],
    ["an empty array as a value", text([]), /unknown value tag undefined/],
    ["an object as a value", text({ a: 1 }), /at root: expected a JSON primitive or a tagged array, got an object/],
    ["undefined with an argument", text(["u", 1]), /undefined must be \["u"\]/],
    ["an unknown special number", text(["n", "nan"]), /"nan" is not one of the special numbers/],
    ["a BigInt that is not decimal", text(["b", "0x10"]), /BigInt "0x10" is not a decimal integer/],
    ["a BigInt given as a number", text(["b", 10]), /BigInt 10 is not a decimal integer/],
    ["an entry that is not an array", text(1, [5]), /at objects\[0\]: expected a tagged array/],
    ["an entry without a tag", text(1, [[]]), /at objects\[0\]: expected a tagged array/],
    ["an unknown object tag", text(1, [["zz"]]), /at objects\[0\]\[0\]: unknown object tag "zz"/],
    ["an object key without a value", text(1, [["o", "a"]]), /at objects\[0\]: expected \["o", key, value, \.\.\.\], but a key has no value/],
    ["an object key that is not a string", text(1, [["o", 1, 2]]), /at objects\[0\]\[1\]: a key must be a string, got 1/],
    ["a Map key without a value", text(1, [["m", 1]]), /a key has no value/],
    ["a negative array length", text(1, [["A", -1]]), /at objects\[0\]\[1\]: an array length must be a whole number below 2\^32, got -1/],
    ["an array length of 2^32", text(1, [["A", 2 ** 32]]), /an array length must be a whole number below 2\^32/],
    ["an array index past the length", text(1, [["A", 2, 5, 1]]), /at objects\[0\]\[2\]: index 5 is not inside the array's length 2/],
    ["an array index that is a string", text(1, [["A", 2, "0", 1]]), /index "0" is not inside/],
    ["a Date with a string time", text(1, [["d", "2020-01-01"]]), /a Date's time must be a number or null/],
    ["a Date with extra elements", text(1, [["d", 0, 1]]), /expected \["d", epochMs \| null\] \(2 elements\), got 3 elements/],
    ["an invalid RegExp", text(1, [["x", "(", "", 0]]), /at objects\[0\]: the RegExp is invalid/],
    ["RegExp flags that do not exist", text(1, [["x", "a", "zq", 0]]), /the RegExp is invalid/],
    ["a negative lastIndex", text(1, [["x", "a", "", -1]]), /lastIndex must be a whole number, got -1/],
    ["an ArrayBuffer that is not base64", text(1, [["B", "*not base64*"]]), /at objects\[0\]\[1\]: binary data is not valid base64/],
    ["an ArrayBuffer that is not a string", text(1, [["B", [1, 2]]]), /binary data must be a string/],
    ["an unknown view kind", text(1, [["B", ""], ["t", "Uint128Array", 0, 0, 0]]), /"Uint128Array" is not a typed array or DataView this runtime has/],
    ["a view of something that is not an ArrayBuffer", text(1, [["o"], ["t", "Uint8Array", 0, 0, 0]]), /at objects\[1\]\[2\]: a Uint8Array must point at an ArrayBuffer \("B"\) entry, but objects\[0\] is "o"/],
    ["a view of itself", text(1, [["t", "Uint8Array", 0, 0, 0]]), /must point at an ArrayBuffer \("B"\) entry, but objects\[0\] is "t"/],
    ["a view of a buffer past the table", text(1, [["t", "Uint8Array", 9, 0, 0]]), /buffer reference 9 is not an index into the 1 objects/],
    ["a view longer than its buffer", text(1, [["B", "AAAA"], ["t", "Uint8Array", 0, 1, 3]]), /a Uint8Array of 3 elements at byte 1 does not fit \(aligned\) in the 3-byte buffer at objects\[0\]/],
    ["a misaligned view", text(1, [["B", "AAAAAAAA"], ["t", "Uint32Array", 0, 1, 1]]), /does not fit \(aligned\)/],
    ["a view with a fractional offset", text(1, [["B", "AAAA"], ["t", "Uint8Array", 0, 0.5, 1]]), /byteOffset and length must be whole numbers, got 0\.5 and 1/],
    ["an Error without a message", text(1, [["e", "Error"]]), /expected \["e", name, message, stack, key, value, \.\.\.\], got 2 elements/],
    ["an Error whose name is not a string", text(1, [["e", 1, "m", null]]), /at objects\[0\]\[1\]: an Error's name must be a string, got 1/],
    ["an Error whose stack is a number", text(1, [["e", "Error", "m", 5]]), /an Error's stack must be a string or null, got 5/],
    ["a boxed reference", text(1, [["w", ["r", 0]]]), /only a boolean, number, string or BigInt can be boxed/],
    ["a boxed null", text(1, [["w", null]]), /can be boxed, got null/],
    ["an invalid header name", text(1, [["H", "bad name", "v"]]), /at objects\[0\]: header "bad name" is not valid/],
    ["a header without a value", text(1, [["H", "a"]]), /headers must be a flat \[name, value, \.\.\.\] list/],
    ["an invalid URL", text(1, [["U", "not a url"]]), /at objects\[0\]\[1\]: "not a url" is not a valid URL/],
    ["a Request with an invalid URL", text(1, [["R", "GET", "/relative", [], null]]), /the Request could not be rebuilt/],
    ["a GET Request with a body", text(1, [["R", "GET", "https://example.test/", [], "aGk="]]), /the Request could not be rebuilt/],
    ["a Request with headers that are not a list", text(1, [["R", "GET", "https://example.test/", {}, null]]), /at objects\[0\]\[3\]: headers must be a flat/],
    ["a Response with status 999", text(1, [["S", 999, "", [], null]]), /the Response could not be rebuilt/],
    ["a Response with a string status", text(1, [["S", "200", "", [], null]]), /a Response's status must be a whole number, got "200"/],
  ])("refuses %s", (_name, input, message) => {
    const error = refusal(input);
    expect(error.code).toBe("MALFORMED");
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Pass parse\(\)\/postprocess\(\) only what stringify\(\)\/preprocess\(\) produced/);
  });

  it("refuses input that is not a string", () => {
    expect(() => parse(undefined as never)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/takes a string, got undefined/) }));
  });

  it("refuses JavaScript values that JSON cannot hold, given to postprocess directly", () => {
    const withFunction = { v: 1, root: ["r", 0], objects: [["o", "f", () => 1]] } as unknown as Intermediate;
    expect(() => postprocess(withFunction)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/objects\[0\]\[2\]: .* got function/) }));
    const withUndefined = { v: 1, root: undefined, objects: [] } as unknown as Intermediate;
    expect(() => postprocess(withUndefined)).toThrow(expect.objectContaining({ code: "MALFORMED", message: expect.stringMatching(/at root: .* got undefined/) }));
  });
});

describe("absurd nesting is refused, not a stack overflow", () => {
  it("refuses 100,000 nested JSON arrays as the whole text", () => {
    expect(refusal(nested(100_000, "[", "]")).message).toMatch(/expected \{ v: 1, root, objects \}, got an array of length 1/);
  });

  it("refuses 100,000 nested JSON arrays as the root", () => {
    expect(refusal(`{"v":1,"objects":[],"root":${nested(100_000, "[", "]")}}`).message).toMatch(/at root: unknown value tag an array of length 1/);
  });

  it("refuses 100,000 nested JSON objects inside an entry", () => {
    const deep = nested(100_000, '{"a":', "}");
    expect(refusal(`{"v":1,"root":["r",0],"objects":[["o","k",${deep}]]}`).message).toMatch(/at objects\[0\]\[2\]: expected a JSON primitive or a tagged array, got an object/);
  });

  it("refuses 1,000,000 nested JSON arrays, whether or not JSON.parse can read them", () => {
    const error = refusal(nested(1_000_000, "[", "]"));
    expect(error.code).toBe("MALFORMED");
  });
});

describe("odd but valid input gives plain values", () => {
  it("lets later duplicate keys win", () => {
    expect(parse(text(["r", 0], [["o", "a", 1, "a", 2]]))).toEqual({ a: 2 });
  });

  it("rebuilds entries nothing refers to without using them", () => {
    expect(parse(text("root", [["o", "unused", 1], ["m"]]))).toBe("root");
  });

  it("rebuilds an object that contains itself through a Map key", () => {
    const map = parse(text(["r", 0], [["m", ["r", 0], ["r", 0]]])) as Map<unknown, unknown>;
    expect(map.get(map)).toBe(map);
  });
});
