/** Runs exactly the code the "Base classes" docs page shows (examples/base-classes). */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the base classes page example", () => {
  it("ProfileDO ada meets grace: grace learns her name and sees ada as the caller", async () => {
    const response = await exports.default.fetch("http://example.test/base/profile/ada/meet/grace");
    const body = (await response.json()) as { calleeSawCaller: { name: string }; callee: { binding: string; name: string } };
    expect(body.calleeSawCaller).toMatchObject({ kind: "durable-object", name: "ada" });
    expect(body.callee).toMatchObject({ binding: "PROFILE", name: "grace" });
  });

  it("GreeterWorker hands out a Greeting RpcTarget over its service binding", async () => {
    const response = await exports.default.fetch("http://example.test/base/greet/fr/Ada");
    expect(await response.text()).toBe("Bonjour, Ada!");
    using greeting = await env.GREETER.makeGreeting("en");
    expect(await greeting.say("Grace")).toBe("Hello, Grace!");
  });

  it("knows no language that is only a name on Object's prototype", async () => {
    for (const language of ["constructor", "toString", "__proto__"]) {
      // Not expect(promise).rejects: it reads properties off the RPC promise, each one a
      // pipelined call that then rejects unhandled.
      const refusal = await env.GREETER.makeGreeting(language).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ name: "RangeError", message: `No greeting for language "${language}"; try en, fr, es.` });
    }
  });

  it("lists every example on the index page", async () => {
    const index = await (await exports.default.fetch("http://example.test/")).text();
    expect(index).toContain("/base/greet/fr/Ada");
    expect(index).toContain("/call/user/ada/visit");
  });
});
