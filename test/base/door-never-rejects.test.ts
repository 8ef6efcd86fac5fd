/**
 * Issue 12, item 8: the door resolves with an outcome whatever the chain
 * throws or returns, and the caller gets one Error naming the real cause,
 * never the transport failure "Could not complete the call".
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ctn, getOperationChain, type Chain, type OperationChain } from "../../lib/chains";
import { openOutcome, sealChain, type ChainOutcome } from "../../lib/envelope";
import type { MisbehavingDO } from "../fixtures/misbehaving";
import type { ProbeDO } from "../fixtures/probe";
import { freshProbe, inProbe } from "../harness";
import { deliveriesOf } from "../call/harness";

/** 33 MiB: over Workers RPC's 32 MiB limit on one message. */
const OVER_THE_LIMIT = 33 * 1024 * 1024;

/** What the door answers for `chain`: it must resolve, so an RPC rejection fails the test. */
async function throughTheDoor(chain: unknown): Promise<Error> {
  const outcome = await env.MISBEHAVING.getByName("door").__executeChain(sealChain(getOperationChain(chain) as OperationChain, {}));
  try {
    openOutcome(outcome as ChainOutcome);
  } catch (error) {
    return error as Error;
  }
  throw new Error("the outcome held a value");
}

/** What a `call` to MISBEHAVING delivers to the caller's continuation. */
async function throughACall(remote: (chain: Chain<MisbehavingDO>) => unknown): Promise<Error> {
  const { stub } = freshProbe("misbehaving-caller");
  await inProbe(stub, (probe) => {
    const chain = remote(probe.ctn<MisbehavingDO>()) as never;
    probe.lmz.call("MISBEHAVING", "call", chain, probe.ctn().record(chain, "outcome"));
  });
  const [delivery] = await deliveriesOf(stub, 1, 20_000);
  const error = delivery.result as Error;
  expect(error).toBeInstanceOf(Error);
  expect(error.message).not.toMatch(/Could not complete the call/);
  return error;
}

describe("the door never rejects", () => {
  it("answers a thrown Error whose getter throws with an Error naming the getter's failure", async () => {
    const error = await throughTheDoor(ctn<MisbehavingDO>().throwTrappedError());
    expect(error.name).toBe("InvalidInputError");
    expect(error.message).toBe("throwTrappedError(…) threw a value that cannot be read or sent back: reading it threw RangeError: the message getter exploded.");
  });

  it("answers a thrown object whose getters throw revoked proxies", async () => {
    const error = await throughTheDoor(ctn<MisbehavingDO>().throwTrappedObject());
    expect(error.message).toBe("throwTrappedObject(…) threw a value that cannot be read or sent back: reading it threw a value that cannot be described (a revoked Proxy?).");
  });

  it("answers a thrown revoked Proxy with an Error saying so", async () => {
    const error = await throughTheDoor(ctn<MisbehavingDO>().throwRevokedProxy());
    expect(error.message).toBe(
      "throwRevokedProxy(…) threw a value that cannot be read or sent back: reading it threw TypeError: Cannot perform 'get' on a proxy that has been revoked.",
    );
  });

  it("answers a result over the RPC size limit with an Error giving its size and the limit", async () => {
    const error = await throughTheDoor(ctn<MisbehavingDO>().returnText(OVER_THE_LIMIT));
    expect(error.name).toBe("InvalidInputError");
    expect(error.message).toMatch(
      /^The result of returnText\(…\) could not be sent back: it is 34,603,0\d\d bytes in Workers RPC's encoding, over its limit of 33,554,432 bytes \(32 MiB\)\. Return less, or split it over several calls\.$/,
    );
  });

  it("answers a thrown Error over the RPC size limit with an Error saying so", async () => {
    const error = await throughTheDoor(ctn<MisbehavingDO>().throwLongMessage(OVER_THE_LIMIT));
    expect(error.message).toMatch(/^The Error thrown by throwLongMessage\(…\) could not be sent back: it is [\d,]+ bytes in Workers RPC's encoding, over its limit/);
  });
});

describe("a call delivers each of these as one Error naming the cause", () => {
  it("a throwing getter", async () => {
    expect((await throughACall((remote) => remote.throwTrappedError())).message).toMatch(/reading it threw RangeError: the message getter exploded/);
  });

  it("a revoked proxy", async () => {
    expect((await throughACall((remote) => remote.throwRevokedProxy())).message).toMatch(/proxy that has been revoked/);
  });

  it("a 33 MiB result", async () => {
    const error = await throughACall((remote) => remote.returnText(OVER_THE_LIMIT));
    expect(error.message).toMatch(/could not be sent back: it is 34,603,0\d\d bytes .* over its limit of 33,554,432 bytes/);
  });

  it("33 MiB of arguments, refused at the call site before anything is sent", async () => {
    const { stub } = freshProbe("too-big-args");
    const thrown = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().echo("x".repeat(OVER_THE_LIMIT));
      try {
        probe.lmz.call("PROBE", "never", remote, probe.ctn().record(remote, "never"));
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
    });
    expect(thrown?.name).toBe("CallError");
    expect(thrown?.message).toMatch(
      /^The call's chain \(echo\(…\)\) could not be sent: it is 34,603,\d{3} bytes in Workers RPC's encoding, over its limit of 33,554,432 bytes \(32 MiB\)\. Send less, or split it over several calls\.$/,
    );
  });
});
