/**
 * Issue 12, item 9: a remote that throws something other than an Error
 * (here a bare string) reaches `call`'s continuation and `callRaw`'s
 * rejection as the same Error.
 */
import { describe, expect, it } from "vitest";
import type { MisbehavingDO } from "../fixtures/misbehaving";
import { freshProbe, inProbe } from "../harness";
import { deliveriesOf } from "./harness";

const EXPECTED = 'Call to "MISBEHAVING" instance "strings" (throwString(…)) threw a non-Error value: "a bare string". Throw an Error to give it a name and a stack.';

describe("a remote that throws a non-Error", () => {
  it("reaches call's continuation as a CallError carrying the value as its cause", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<MisbehavingDO>().throwString();
      probe.lmz.call("MISBEHAVING", "strings", remote, probe.ctn().record(remote, "string"));
    });
    const error = (await deliveriesOf(stub, 1))[0].result as Error;
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.message, error.cause]).toEqual(["CallError", EXPECTED, "a bare string"]);
  });

  it("rejects callRaw with the same CallError", async () => {
    const { stub } = freshProbe();
    const rejection = await inProbe(stub, (probe) =>
      probe.lmz.callRaw("MISBEHAVING", "strings", probe.ctn<MisbehavingDO>().throwString()).then(
        () => "resolved",
        (error: unknown) => (error instanceof Error ? [error.name, error.message, error.cause] : error),
      ),
    );
    expect(rejection).toEqual(["CallError", EXPECTED, "a bare string"]);
  });
});
