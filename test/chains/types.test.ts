/**
 * Type-level tests: `tsc --noEmit` (part of `npm test`) fails if a line
 * marked `@ts-expect-error` compiles, so each one proves a mistake is caught.
 */
/* eslint-disable @typescript-eslint/no-unused-expressions -- a bare member read is how these lines ask tsc whether it is allowed */
import { describe, expectTypeOf, it } from "vitest";
import { ctn, type ChainBrand } from "../../lib/chains";
import type { PLATFORM_HANDLERS } from "../../lib/chains/security";
import type { PlatformHandler } from "../../lib/chains/types";
import type { LifecycleWorker } from "../fixtures/lifecycle";
import type { CounterDO } from "../../examples/call/counter";
import type { UserDO } from "../../examples/call/user";
import type { ProbeDO } from "../fixtures/probe";

// Type-only checks, compiled but never run (the DO classes need a runtime to construct).
function checkContinuations(user: UserDO, probe: ProbeDO) {
  const remote = user.ctn<CounterDO>().increment(1);
  expectTypeOf(remote).toExtend<ChainBrand<number>>();

  // The continuation accepts `number | Error`: compiles.
  user.ctn().onCounted(remote);
  user.lmz.call("COUNTER", "visits", remote, user.ctn().onCounted(remote));

  // A parameter that does not accept Error does not compile.
  const strict = ctn<{ onCount(count: number): void }>("continuation");
  // @ts-expect-error Error is not assignable to number
  strict.onCount(remote);

  // A parameter of the wrong type does not compile.
  const wrong = ctn<{ onName(name: string | Error): void }>("continuation");
  // @ts-expect-error number is not assignable to string
  wrong.onName(remote);

  // callRaw resolves with the remote method's (awaited) return type.
  expectTypeOf(user.lmz.callRaw("COUNTER", "visits", user.ctn<CounterDO>().slowCount(1))).toEqualTypeOf<Promise<number>>();

  // Remote chains: a wrong method name or argument type does not compile.
  // @ts-expect-error no such method
  user.ctn<CounterDO>().incremnt(1);
  // @ts-expect-error increment takes a number
  user.ctn<CounterDO>().increment("1");
  // @ts-expect-error ctx is never reachable by a chain
  user.ctn<CounterDO>().ctx;
  // @ts-expect-error lmz is plumbing, hidden from chains
  user.ctn<CounterDO>().lmz;

  // Platform handlers are hidden, whoever defines them, and the executor refuses exactly the same names.
  // @ts-expect-error scheduled is invoked by the platform, never by a chain
  ctn<LifecycleWorker>().scheduled;
  // @ts-expect-error webSocketMessage is invoked by the platform, never by a chain
  ctn<LifecycleWorker>().webSocketMessage;
  ctn<LifecycleWorker>().handlerRuns();
  expectTypeOf<(typeof PLATFORM_HANDLERS)[number]>().toEqualTypeOf<PlatformHandler>();

  // Nested chains in remote arguments must produce the parameter's type (no Error).
  probe.ctn<ProbeDO>().square(probe.ctn<ProbeDO>().square(3));
  // @ts-expect-error echo returns a string here, square wants a number
  probe.ctn<ProbeDO>().square(probe.ctn<ProbeDO>().echo("three"));

  // Chains follow awaited results through properties.
  expectTypeOf(ctn<{ load(): Promise<{ profile: { name: string } }> }>().load().profile.name).toExtend<ChainBrand<string>>();
}

describe("continuation types", () => {
  it("are checked by tsc (see checkContinuations above)", () => {
    expectTypeOf(checkContinuations).toBeFunction();
  });
});
