/**
 * An attacker calls the settle doors (`__settle`, `__settleAll`) and the
 * durable-call door (`__acceptChains`) over real RPC with hostile arguments,
 * and races the right token against itself and against the deadline. No
 * continuation may run twice or never; a delivery without the token changes
 * nothing.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { placeholder, TimeoutError } from "../../lib";
import { ctn, getOperationChain, type OperationChain } from "../../lib/chains";
import { sealChain } from "../../lib/envelope";
import type { ProbeDO } from "../fixtures/probe";
import { CLEAN, expectCleanAfterEach, fresh, freshProbe, inProbe, outcomeOf, storedState, type StubOf } from "../harness";
import { muteLogs } from "../logs";

expectCleanAfterEach();
muteLogs();

const HOUR = 3_600_000;
const $outcome = placeholder<unknown>();

async function pending(stub: StubOf<"PROBE">, tag: string, deadline = Date.now() + HOUR): Promise<{ id: string; token: string }> {
  return inProbe(stub, (probe) => probe.lmz.alarms.expect(probe.ctn().record($outcome, tag), { deadline }));
}

const deliveries = (stub: StubOf<"PROBE">) => inProbe(stub, (probe) => probe.deliveries());

describe("__settle over RPC refuses what does not carry the token, and changes nothing", () => {
  it("answers false to hostile ids, tokens and outcomes, and the outcome stays pending for its holder", async () => {
    const { stub } = freshProbe("hostile-settle");
    const { id, token } = await pending(stub, "held");
    const good = await outcomeOf("the real one");
    const attempts: [unknown, unknown, unknown][] = [
      [undefined, undefined, undefined],
      [id, token.toUpperCase(), good],
      [id, `${token} `, good],
      [id, "' OR 1=1 --", good],
      [`${id}' OR '1'='1`, token, good],
      [id, Number.NaN, good],
      [id, 0n, good],
      [[id], [token], good],
      [{ toString: () => id }, token, good],
      [new String(id), new String(token), good],
      [id, token, undefined],
      [id, token, 42],
      [id, token, ""],
      [id, token, { then: () => "thenable" }],
      [id, token, new Map([["ok", true]])],
      [id, token, ["=1"]],
    ];
    for (const [i, t, o] of attempts) {
      expect(await stub.__settle(i as never, t as never, o as never)).toBe(false);
    }
    expect(await deliveries(stub)).toEqual([]);
    expect((await storedState(stub)).outcomes.map((row) => row.id)).toEqual([id]);
    expect(await stub.__settle(id, token, good)).toBe(true);
    expect(await deliveries(stub)).toEqual([{ tag: "held", result: "the real one" }]);
  });

  it("gives the continuation an Error in place of an outcome that does not decode, for the token's holder", async () => {
    const { stub } = freshProbe("hostile-settle-garbage");
    const { id, token } = await pending(stub, "garbage");
    expect(await stub.__settle(id, token, "={not json" as never)).toBe(true);
    const [delivery] = await deliveries(stub);
    expect(delivery.result).toBeInstanceOf(Error);
    expect((delivery.result as Error).name).toBe("DataCloneError");
  });

  it("answers __settleAll's hostile deliveries per settlement, without throwing", async () => {
    const { stub } = freshProbe("hostile-settle-all");
    const { id, token } = await pending(stub, "all");
    const good = await outcomeOf(7);
    // A host of the base class's own __settleAll (ProbeDO's override records what arrives, and expects an array).
    const { stub: plain } = fresh("GUARDED", "hostile-settle-all-plain");
    for (const hostile of [undefined, null, 5, "x", { length: 2, 0: { id, token, outcome: good } }, new Map()]) {
      expect(await plain.__settleAll(hostile as never)).toEqual([]);
    }
    const many = Array.from({ length: 5_000 }, (_, i) => ({ id, token: i.toString(16).padStart(32, "0"), outcome: good }));
    const answers = await stub.__settleAll([null, 5, { id }, ...many] as never);
    expect(answers).toHaveLength(5_003);
    expect(answers.every((answer) => answer === false)).toBe(true);
    expect(await deliveries(stub)).toEqual([]);
    // The right settlement, three times in one delivery: it runs once.
    expect(await stub.__settleAll([{ id, token, outcome: good }, { id, token, outcome: await outcomeOf(8) }, { id, token, outcome: good }])).toEqual([true, false, false]);
    expect(await deliveries(stub)).toEqual([{ tag: "all", result: 7 }]);
  });
});

describe("races on the settle door", () => {
  it("runs the continuation once when two deliveries with the right token arrive at once", async () => {
    const { stub } = freshProbe("hostile-settle-twice");
    const { id, token } = await pending(stub, "twice");
    const answers = await Promise.all([stub.__settle(id, token, await outcomeOf("a")), stub.__settle(id, token, await outcomeOf("b")), stub.__settleAll([{ id, token, outcome: await outcomeOf("c") }])]);
    expect(answers.flat().filter((answer) => answer === true)).toHaveLength(1);
    expect(await deliveries(stub)).toHaveLength(1);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("runs the continuation once when a delivery races the deadline's alarm", async () => {
    for (let round = 0; round < 5; round++) {
      const { stub } = freshProbe("hostile-settle-deadline");
      const { id, token } = await pending(stub, "race", Date.now() + 30);
      await new Promise((resolve) => setTimeout(resolve, 40));
      const outcome = await outcomeOf("delivered");
      const [settled] = await Promise.all([stub.__settle(id, token, outcome), runDurableObjectAlarm(stub)]);
      await vi.waitFor(async () => expect(await deliveries(stub)).toHaveLength(1), { timeout: 5_000 });
      const [delivery] = await deliveries(stub);
      // Exactly one of them: the delivery (answered true) or the deadline (a TimeoutError, the delivery answered false).
      if (settled) expect(delivery.result).toBe("delivered");
      else expect(delivery.result).toBeInstanceOf(TimeoutError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await deliveries(stub)).toHaveLength(1);
      expect(await storedState(stub)).toMatchObject(CLEAN);
    }
  });

  it("times a pending outcome with a deadline of -0 out at once, with a TimeoutError", async () => {
    const { stub } = freshProbe("hostile-minus-zero");
    const { token, id } = await pending(stub, "minus-zero", -0);
    await runDurableObjectAlarm(stub);
    const [delivery] = await vi.waitFor(async () => {
      const seen = await deliveries(stub);
      expect(seen).toHaveLength(1);
      return seen;
    });
    expect(delivery.result).toBeInstanceOf(TimeoutError);
    expect(await stub.__settle(id, token, await outcomeOf("late"))).toBe(false);
  });

  it("refuses NaN, Infinity and a BigInt as a deadline, storing nothing", async () => {
    const { stub } = freshProbe("hostile-deadline");
    for (const deadline of [Number.NaN, Infinity, -Infinity, 8.64e15 + 1, 1n]) {
      await inProbe(stub, (probe) => expect(() => probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { deadline: deadline as never })).toThrow(/Invalid deadline/));
    }
    expect(await storedState(stub)).toMatchObject({ outcomes: [], alarm: null });
  });
});

describe("__acceptChains over RPC answers each hostile hand-over with why, and runs none of them", () => {
  const chainOf = (chain: unknown) => getOperationChain(chain) as OperationChain;

  it("refuses what is not an array with an InvalidInputError", async () => {
    const { stub } = freshProbe("hostile-accept-shape");
    // In the object: over RPC the same throw reaches the caller, and the test pool also reports it as unhandled.
    await inProbe(stub, (probe) => {
      for (const hostile of [undefined, null, 1, "[]", { length: 1, 0: null }]) {
        expect(() => probe.__acceptChains(hostile as never)).toThrow(/Malformed durable calls: __acceptChains takes an array/);
      }
    });
  });

  it("refuses hand-overs without an envelope that opens, a call id, or a delivery it can make", async () => {
    const { stub } = freshProbe("hostile-accept-items");
    const envelope = sealChain(chainOf(ctn<ProbeDO>().record("ran", "hostile")), { callId: "c1" });
    const origin = { binding: "PROBE", id: await inProbe(stub, (probe) => probe.lmz.id) };
    const delivery = { origin, token: "t", deadline: Date.now() + HOUR };
    const items: unknown[] = [
      null,
      7,
      "x",
      { envelope: null, delivery },
      { envelope: "3:{}", delivery },
      { envelope: sealChain(chainOf(ctn<ProbeDO>().record("ran", "no-id")), {}), delivery },
      { envelope: sealChain(chainOf(ctn<ProbeDO>().record("ran", "empty-id")), { callId: "" }), delivery },
      { envelope, delivery: null },
      { envelope, delivery: { ...delivery, deadline: Number.NaN } },
      { envelope, delivery: { ...delivery, deadline: Infinity } },
      { envelope, delivery: { ...delivery, deadline: "soon" } },
      { envelope, delivery: { ...delivery, token: 5 } },
      { envelope, delivery: { ...delivery, origin: { binding: "PROBE" } } },
      { envelope, delivery: { ...delivery, origin: { binding: "__proto__", id: origin.id } } },
      { envelope, delivery: { ...delivery, origin: { binding: "constructor", id: origin.id } } },
      { envelope, delivery: { ...delivery, origin: { binding: "PLAIN_VAR", id: origin.id } } },
      { envelope, delivery: { ...delivery, origin: { binding: "COUNTER", id: origin.id } } },
      { envelope, delivery: { ...delivery, origin: { binding: "PROBE", id: "not hex" } } },
    ];
    const answers = await stub.__acceptChains(items as never);
    expect(answers).toHaveLength(items.length);
    answers.forEach((answer, i) => expect(answer, `item ${i}`).toEqual(expect.any(String)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await deliveries(stub)).toEqual([]);
  });
});
