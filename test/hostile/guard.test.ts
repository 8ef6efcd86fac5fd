/**
 * An attacker against a host that guards its door with `onBeforeCall`: the
 * hook is told `members`, "every member of this host the chain enters", and
 * refuses what it does not allow. The door code is the one every base class
 * runs (`openDoor`); the host here is a plain object with the same hook, run
 * in the test isolate.
 */
import { describe, expect, it } from "vitest";
import { openDoor } from "../../lib/base/door";
import type { IncomingCall } from "../../lib";
import type { OperationChain } from "../../lib/chains";
import { sealChain } from "../../lib/envelope";
import { valueOrError } from "../harness";

/** A host that lets chains reach `greet` and `configure` only; `configure` is fluent (returns `this`). */
class FluentHost {
  readonly ran: string[] = [];
  onBeforeCall(call: IncomingCall): void {
    const refused = call.members.filter((member) => member !== "greet" && member !== "configure");
    if (refused.length > 0) throw new Error(`not allowed: ${refused.join(", ")}`);
  }
  greet(name: string): string {
    this.ran.push("greet");
    return `hello ${name}`;
  }
  configure(): this {
    this.ran.push("configure");
    return this;
  }
  wipe(): string {
    this.ran.push("wipe");
    return "wiped";
  }
}

const get = (key: string) => ({ type: "get", key }) as const;
const apply = (...args: unknown[]) => ({ type: "apply", args: args.map((value) => ({ value })) }) as const;

async function through(host: FluentHost, chain: OperationChain): Promise<unknown> {
  return valueOrError(await openDoor(host, sealChain(chain, {})));
}

describe("onBeforeCall sees every member of the host a chain enters", () => {
  it("refuses a member it does not allow, at the first step or in a nested chain", async () => {
    const host = new FluentHost();
    expect(await through(host, [get("wipe"), apply()])).toMatchObject({ message: expect.stringMatching(/not allowed: wipe/) });
    expect(await through(host, [get("greet"), { type: "apply", args: [{ chain: [get("wipe"), apply()] }] }])).toMatchObject({ message: expect.stringMatching(/not allowed: wipe/) });
    expect(host.ran).toEqual([]);
  });

  // `members` lists the first step of the chain and of each nested chain; a method that returns the
  // host itself (a fluent API) would let the steps after it enter any public member unseen.
  it("refuses a chain that goes on after a method that returns the host itself", async () => {
    const host = new FluentHost();
    expect(await through(host, [get("configure"), apply(), get("wipe"), apply()])).toMatchObject({ message: expect.stringMatching(/gave back the target itself/) });
    expect(host.ran).not.toContain("wipe");
    // Nor does the host leave as the outcome of a chain that ends there.
    expect(await through(host, [get("configure"), apply()])).toMatchObject({ message: expect.stringMatching(/gave back the target itself/) });
  });
});
