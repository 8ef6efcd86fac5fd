/**
 * Issue 12, item 7: `this.lmz.caller` inside a continuation is `undefined`.
 * The continuation is this object's own code answering later, not a call
 * from whoever reached the method that started the work.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ctn, getOperationChain, type OperationChain } from "../../lib/chains";
import { openOutcome, sealChain, type ChainOutcome, type Identity } from "../../lib/envelope";
import type { CallerNote, CallerProbeDO } from "../fixtures/caller-probe";
import { waitForAtLeast } from "../wait";

const mallory: Identity = { kind: "durable-object", binding: "PROBE", name: "mallory", id: "0".repeat(64) };
let counter = 0;

/** Runs `chain` on a fresh CallerProbeDO through its door, as `mallory`; returns the stub and the outcome. */
async function asMallory(chain: unknown): Promise<{ stub: DurableObjectStub<CallerProbeDO>; seen: unknown }> {
  const stub = env.CALLER_PROBE.getByName(`caller-${counter++}`);
  const outcome = await stub.__executeChain(sealChain(getOperationChain(chain) as OperationChain, { caller: mallory }));
  return { stub, seen: openOutcome(outcome as ChainOutcome) };
}

const notesOf = (stub: DurableObjectStub<CallerProbeDO>) =>
  waitForAtLeast(async () => (await stub.notes()) as CallerNote[], 1, "continuations");

describe("this.lmz.caller inside a continuation", () => {
  it("is undefined in a call's continuation, though the method that made the call had a caller", async () => {
    const { stub, seen } = await asMallory(ctn<CallerProbeDO>().relayCall("caller-target", "call"));
    expect(seen).toEqual(mallory);
    expect(await notesOf(stub)).toEqual([{ tag: "call", caller: undefined }]);
  });

  it("is undefined in a schedule's handler fired inside a method that had a caller", async () => {
    const { stub, seen } = await asMallory(ctn<CallerProbeDO>().relaySchedule("alarm"));
    expect(seen).toEqual(mallory);
    expect(await notesOf(stub)).toEqual([{ tag: "alarm", caller: undefined }]);
  });

  it("is undefined in a proxied fetch's continuation", async () => {
    const { stub, seen } = await asMallory(ctn<CallerProbeDO>().relayFetch("fetch"));
    expect(seen).toEqual(mallory);
    expect(await notesOf(stub)).toEqual([{ tag: "fetch", caller: undefined }]);
  });
});
