import { describe, expect, it } from "vitest";
import { DataCloneError, preprocess, preprocessSync, stringify, stringifySync } from "../../lib/structured-clone";

/** The DataCloneError `preprocessSync(value)` throws. */
function refusal(value: unknown): DataCloneError {
  try {
    preprocessSync(value);
  } catch (error) {
    expect(error).toBeInstanceOf(DataCloneError);
    return error as DataCloneError;
  }
  throw new Error("preprocessSync accepted the value");
}

describe("functions and symbols are refused with the path to them", () => {
  it("names a function deep in objects and arrays", () => {
    const error = refusal({ user: { callbacks: [1, 2, () => {}] } });
    expect(error.name).toBe("DataCloneError");
    expect(error.code).toBe("UNCLONEABLE");
    expect(error.path).toBe("value.user.callbacks[2]");
    expect(error.message).toBe(
      "Cannot clone a function at value.user.callbacks[2]. Functions cannot leave the isolate that made them. Remove it, or record the call as an operation chain (ctn()) and send that.",
    );
  });

  it("names a symbol value", () => {
    const error = refusal({ kind: Symbol("k") });
    expect(error.path).toBe("value.kind");
    expect(error.message).toMatch(/^Cannot clone a symbol at value\.kind\. .*Use a string instead\.$/);
  });

  it("names the root when the value itself is a function", () => {
    expect(refusal(function named() {}).path).toBe("value");
  });

  it("names Map keys, Map values and Set entries", () => {
    expect(refusal(new Map([["k", () => 1]])).path).toBe("value.<Map value>");
    expect(refusal({ m: new Map([[Symbol.iterator, 1]]) }).path).toBe("value.m.<Map key>");
    expect(refusal([new Set([() => 1])]).path).toBe("value[0].<Set entry>");
  });

  it("quotes keys that are not identifiers", () => {
    expect(refusal({ "my key": { "2": () => 1 } }).path).toBe('value["my key"]["2"]');
  });

  it("names a function in an error's cause or extra property", () => {
    expect(refusal({ error: new Error("x", { cause: { retry: () => 1 } }) }).path).toBe("value.error.cause.retry");
    expect(refusal(Object.assign(new Error("x"), { onRetry: () => 1 })).path).toBe("value.onRetry");
  });

  it("follows the first path by which an object was reached", () => {
    const shared = { handler: () => 1 };
    expect(refusal({ first: shared, second: shared }).path).toBe("value.first.handler");
  });

  it("names a path 100,000 levels deep without overflowing", () => {
    const top: Record<string, unknown> = {};
    let node = top;
    for (let i = 0; i < 100_000; i++) node = (node.n = {}) as Record<string, unknown>;
    node.f = () => 1;
    const path = refusal(top).path!;
    expect(path.startsWith("value.n.n.n")).toBe(true);
    expect(path.endsWith(".n.f")).toBe(true);
    expect(path.length).toBe("value".length + 100_000 * 2 + 2);
  });

  it("rejects the promise from preprocess and stringify rather than throwing", async () => {
    const pending = preprocess({ f: () => 1 });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toMatchObject({ code: "UNCLONEABLE", path: "value.f" });
    await expect(stringify([Symbol()])).rejects.toMatchObject({ code: "UNCLONEABLE", path: "value[0]" });
  });
});

describe("objects that cannot be copied are refused by name", () => {
  it.each([
    ["WeakMap", () => new WeakMap(), /Cannot clone a WeakMap at value\.it\. Its entries cannot be listed/],
    ["WeakSet", () => new WeakSet(), /Cannot clone a WeakSet/],
    ["WeakRef", () => new WeakRef({}), /Cannot clone a WeakRef/],
    ["Promise", () => Promise.resolve(1), /Cannot clone a Promise at value\.it\. Await it/],
    ["ReadableStream", () => new ReadableStream(), /Cannot clone a ReadableStream.*wrap it in a Response/],
    ["Blob", () => new Blob(["x"]), /Cannot clone a Blob.*arrayBuffer/],
    ["boxed Symbol", () => Object(Symbol("s")) as object, /Cannot clone a Symbol/],
  ])("a %s", (_name, make, message) => {
    const error = refusal({ it: make() });
    expect(error.code).toBe("UNCLONEABLE");
    expect(error.path).toBe("value.it");
    expect(error.message).toMatch(message);
  });
});

describe("Request and Response bodies need the async API", () => {
  it("refuses a body synchronously with ASYNC_BODY, the path and what to use instead", () => {
    const error = refusal({ requests: [new Request("https://example.test/", { method: "POST", body: "x" })] });
    expect(error.code).toBe("ASYNC_BODY");
    expect(error.path).toBe("value.requests[0]");
    expect(error.message).toBe(
      "The Request at value.requests[0] has a body, which can only be read asynchronously. Use preprocess() or stringify() instead of the Sync variant.",
    );
    expect(() => stringifySync(new Response("body"))).toThrow(expect.objectContaining({ code: "ASYNC_BODY", path: "value" }));
  });

  it("encodes bodiless Requests and Responses synchronously", () => {
    expect(() => preprocessSync([new Request("https://example.test/"), new Response(null, { status: 304 })])).not.toThrow();
  });

  it("gives the same result synchronously and asynchronously when there is no body", async () => {
    const value = { when: new Date(1), headers: new Headers({ a: "b" }), request: new Request("https://example.test/") };
    expect(preprocessSync(value)).toEqual(await preprocess(value));
  });

  it("refuses a body that was already read", async () => {
    const response = new Response("consumed");
    await response.text();
    await expect(preprocess({ response })).rejects.toMatchObject({
      code: "UNCLONEABLE",
      path: "value.response",
      message: expect.stringMatching(/already read.*response\.clone\(\)/),
    });
  });
});
