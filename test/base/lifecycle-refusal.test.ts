/**
 * Issue 12, item 6: no chain reaches a handler the platform invokes, on a
 * Worker or a Durable Object, whether or not the class defines it.
 */
import { DurableObject, env, exports, WorkerEntrypoint } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ctn, getOperationChain, type OperationChain } from "../../lib/chains";
import { openOutcome, sealChain, type ChainOutcome } from "../../lib/envelope";
import { PLATFORM_HANDLERS } from "../../lib/chains/security";
import type { LifecycleWorker } from "../fixtures/lifecycle";

/** Reads `key` and calls it with no arguments, as a hostile sender would. */
const invoke = (key: string): OperationChain => [
  { type: "get", key },
  { type: "apply", args: [] },
];

const refusal = (outcome: unknown) => {
  try {
    openOutcome(outcome as ChainOutcome);
  } catch (error) {
    return (error as Error).message;
  }
  return "not refused";
};

describe("a chain never reaches a platform lifecycle handler", () => {
  it("covers every handler the platform's base classes declare", () => {
    expect([...PLATFORM_HANDLERS].sort()).toEqual(
      ["alarm", "connect", "email", "fetch", "queue", "scheduled", "tail", "tailStream", "test", "trace", "webSocketClose", "webSocketError", "webSocketMessage"].sort(),
    );
  });

  for (const key of PLATFORM_HANDLERS) {
    it(`refuses ${key} on a LumenizeWorker that defines it`, async () => {
      const before = await exports.LifecycleWorker.handlerRuns();
      const message = refusal(await exports.LifecycleWorker.__executeChain(sealChain(invoke(key), {})));
      expect(message).toMatch(new RegExp(`refused at step 0 \\(${key}\\): "${key}" is a handler the platform invokes`));
      expect(await exports.LifecycleWorker.handlerRuns()).toBe(before);
    });
  }

  it("refuses them on a Durable Object too, defined or not", async () => {
    for (const key of ["alarm", "fetch", "webSocketMessage", "scheduled", "connect"]) {
      const message = refusal(await env.PROBE.getByName("lifecycle").__executeChain(sealChain(invoke(key), {})));
      expect(message).toMatch(/is a handler the platform invokes/);
    }
  });

  it("refuses, by where it lives, any member the platform's base classes define", async () => {
    // Stands for a member a future runtime might add to its base classes.
    const bases = [DurableObject.prototype, WorkerEntrypoint.prototype] as unknown as Record<string, unknown>[];
    for (const base of bases) base.futureHook = () => "ran";
    try {
      for (const door of [env.PROBE.getByName("lifecycle"), exports.LifecycleWorker]) {
        expect(refusal(await door.__executeChain(sealChain(invoke("futureHook"), {})))).toMatch(/"futureHook" is inherited plumbing/);
      }
    } finally {
      for (const base of bases) delete base.futureHook;
    }
  });

  it("still runs the Worker's own methods", async () => {
    const chain = getOperationChain(ctn<LifecycleWorker>().handlerRuns())!;
    expect(openOutcome((await exports.LifecycleWorker.__executeChain(sealChain(chain, {}))) as ChainOutcome)).toBeTypeOf("number");
  });
});
