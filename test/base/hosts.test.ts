import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sealChain, openOutcome } from "../../lib/envelope";
import { ctn, getOperationChain, type OperationChain } from "../../lib/chains";
import type { GreeterWorker } from "../../examples/base-classes/greeter";

const chainOf = (proxy: unknown) => getOperationChain(proxy) as OperationChain;

describe("every base class opens the __executeChain door", () => {
  it("a LumenizeWorker runs a chain through its service binding", async () => {
    const outcome = await env.GREETER.__executeChain(sealChain(chainOf(ctn<GreeterWorker>().greet("Ada")), { callee: { binding: "GREETER" } }));
    expect(openOutcome(outcome)).toBe("Hello, Ada!");
  });

  it("a LumenizeRpcTarget returned by a Worker runs chains too", async () => {
    using greeting = await env.GREETER.makeGreeting("es");
    const outcome = await greeting.__executeChain(sealChain(chainOf(ctn<{ say(n: string): string }>().say("Ada")), {}));
    expect(openOutcome(outcome)).toBe("Hola, Ada!");
  });

  it("a LumenizeWorker's errors come back in the outcome with their type", async () => {
    const outcome = await env.GREETER.__executeChain(sealChain(chainOf(ctn<GreeterWorker>().makeGreeting("xx")), {}));
    expect(() => openOutcome(outcome)).toThrow(RangeError);
    expect(() => openOutcome(outcome)).toThrow(/No greeting for language "xx"/);
  });

  it("refuses plumbing on every host: lmz, ctn, fetch", async () => {
    for (const key of ["lmz", "ctn", "fetch"]) {
      const outcome = await env.GREETER.__executeChain(sealChain([{ type: "get", key }], {}));
      expect(() => openOutcome(outcome)).toThrow(/refused/);
    }
  });
});
