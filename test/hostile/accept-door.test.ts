/**
 * An attacker holding a binding to a Lumenize host hands durable calls to its
 * `__acceptChains` door. Whatever it claims about where outcomes go, it can
 * only send its own outcomes astray, never another caller's.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { placeholder } from "../../lib";
import { ctn, getOperationChain, type OperationChain } from "../../lib/chains";
import type { HandOver } from "../../lib/delivery";
import { sealChain } from "../../lib/envelope";
import type { ProbeDO } from "../fixtures/probe";
import { expectCleanAfterEach, freshProbe, inProbe, track, type StubOf } from "../harness";
import { muteLogs } from "../logs";

expectCleanAfterEach();
const logs = muteLogs();

const $outcome = placeholder<unknown>();
const chainOf = (chain: unknown) => getOperationChain(chain) as OperationChain;

/** A PROBE made from a unique id, with no name: its outcomes come home addressed by id. */
function unnamedProbe(prefix: string): StubOf<"PROBE"> {
  const id = env.PROBE.newUniqueId();
  track(`PROBE/${prefix}-${id.toString()}`, () => env.PROBE.get(id) as DurableObjectStub);
  return env.PROBE.get(id) as StubOf<"PROBE">;
}

describe("__acceptChains cannot misdirect another caller's outcome", () => {
  it("delivers an unnamed caller's outcome to it even when a hand-over in the same turn names an object after the caller's id", async () => {
    const caller = unnamedProbe("hostile-unnamed-caller");
    const remote = freshProbe("hostile-accept-remote");
    const callerId = await inProbe(caller, (probe) => probe.lmz.id);
    // The object an attacker can name so that its name reads as the caller's id.
    const decoyName = callerId;
    track(`PROBE/${decoyName}`, () => env.PROBE.getByName(decoyName) as DurableObjectStub);
    const deadline = Date.now() + 20_000;
    const { id, token } = await inProbe(caller, (probe) => probe.lmz.alarms.expect(probe.ctn().record($outcome, "honest"), { id: "honest-call", deadline }));

    const honest: HandOver = {
      envelope: sealChain(chainOf(ctn<ProbeDO>().square(7)), { callId: id }),
      delivery: { origin: { binding: "PROBE", id: callerId }, token, deadline },
    };
    const hostile: HandOver = {
      envelope: sealChain(chainOf(ctn<ProbeDO>().square(1)), { callId: "hostile-call" }),
      delivery: { origin: { binding: "PROBE", id: callerId, name: decoyName }, token: "0".repeat(32), deadline },
    };
    // Two hand-overs arriving in one turn, the attacker's first.
    expect(await inProbe(remote.stub, (probe) => [...probe.__acceptChains([hostile]), ...probe.__acceptChains([honest])])).toEqual([null, null]);

    await vi.waitFor(() => inProbe(caller, (probe) => expect(probe.deliveries()).toEqual([{ tag: "honest", result: 49 }])), { timeout: 10_000, interval: 50 });
  });
});

describe("__acceptChains cannot keep the remote retrying a delivery that can never land", () => {
  it("gives up at once on an origin that has no __settleAll door, whatever deadline the hand-over claims", async () => {
    const remote = freshProbe("hostile-accept-nowhere");
    // A Durable Object namespace the remote holds, of a class without Lumenize's settle doors.
    const nowhere = env.OLD_RECEIVER.idFromName("hostile-nowhere").toString();
    const hostile: HandOver = {
      envelope: sealChain(chainOf(ctn<ProbeDO>().square(3)), { callId: "hostile-nowhere-call" }),
      // A deadline years away: retried until then, the remote would be kept busy (and alive) for years.
      delivery: { origin: { binding: "OLD_RECEIVER", id: nowhere }, token: "0".repeat(32), deadline: Date.now() + 10 * 365 * 24 * 3_600_000 },
    };
    expect(await remote.stub.__acceptChains([hostile])).toEqual([null]);
    await vi.waitFor(
      () => expect(logs.errors.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringMatching(/could not reach the origin \(binding "OLD_RECEIVER"\) to deliver 1 outcome/)),
      { timeout: 5_000, interval: 50 },
    );
  });
});
