/**
 * Issue 16 (security model): `onBeforeCall`, the access-control hook. It
 * runs before every chain that arrives through the door, sees who the
 * envelope claims sent it and every member the chain enters, and refuses by
 * throwing; the refusal reaches the caller as an Error naming the hook.
 */
import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ctn, getOperationChain, placeholder, type OperationChain } from "../../lib/chains";
import { openOutcome, sealChain, type ChainOutcome, type Identity } from "../../lib/envelope";
import type { GuardedDO, GuardedWorker } from "../fixtures/guarded";
import type { LedgerDO } from "../../examples/security/ledger";
import { freshProbe, inProbe, outcomeOf, valueOrError } from "../harness";
import { deliveriesOf } from "../call/harness";

const claimed: Identity = { kind: "durable-object", binding: "PROBE", name: "claims-to-be-ada" };
let counter = 0;
const fresh = () => env.GUARDED.getByName(`guarded-${counter++}`);
const chainOf = (proxy: unknown) => getOperationChain(proxy) as OperationChain;

async function knock(stub: DurableObjectStub<GuardedDO>, chain: unknown, meta = {}): Promise<unknown> {
  const ops = Array.isArray(chain) ? (chain as OperationChain) : chainOf(chain);
  return valueOrError((await stub.__executeChain(sealChain(ops, meta))) as ChainOutcome);
}

describe("onBeforeCall", () => {
  it("sees the claimed caller (also as this.lmz.caller), the members entered, the chain and the call id, then lets it run", async () => {
    const stub = fresh();
    expect(await knock(stub, ctn<GuardedDO>().work(21), { caller: claimed, callId: "call-1" })).toBe(42);
    expect(await stub.seen()).toEqual([{ caller: claimed, lmzCaller: claimed, members: ["work"], steps: 2, callId: "call-1", durable: false }]);
  });

  it("refuses by throwing: the caller gets an Error naming the hook, with the hook's Error as its cause, and nothing runs", async () => {
    const stub = fresh();
    await stub.close(["secret"]);
    const error = (await knock(stub, ctn<GuardedDO>().secret())) as Error;
    expect(error.name).toBe("OperationChainError");
    expect(error.message).toBe("Operation chain secret(…) refused by GuardedDO.onBeforeCall() before it ran: RangeError: secret is closed to chains");
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(await stub.runs()).toBe(0);
  });

  it("lists members entered by nested chains, so they cannot slip past", async () => {
    const stub = fresh();
    await stub.close(["secret"]);
    const sneaky = ctn<GuardedDO>().work(ctn<GuardedDO>().secret() as never);
    const error = (await knock(stub, sneaky)) as Error;
    expect(error.message).toMatch(/refused by GuardedDO\.onBeforeCall\(\) before it ran: RangeError: secret is closed/);
    expect((await stub.seen())[0].members).toEqual(["work", "secret"]);
    expect(await stub.runs()).toBe(0);
  });

  it("reaches a call's continuation the same way", async () => {
    const guarded = `guarded-${counter++}`;
    await env.GUARDED.getByName(guarded).close(["work"]);
    const { stub } = freshProbe("guarded-caller");
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<GuardedDO>().work(1);
      probe.lmz.call("GUARDED", guarded, remote, probe.ctn().record(remote, "refused"));
    });
    const error = (await deliveriesOf(stub, 1))[0].result as Error;
    expect(error.message).toBe("Operation chain work(…) refused by GuardedDO.onBeforeCall() before it ran: RangeError: work is closed to chains");
    const [seen] = await env.GUARDED.getByName(guarded).seen();
    expect(seen.caller).toMatchObject({ kind: "durable-object", name: expect.stringMatching(/^guarded-caller-/), id: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("guards a LumenizeWorker too", async () => {
    const door = exports.GuardedWorker;
    expect(openOutcome((await door.__executeChain(sealChain(chainOf(ctn<GuardedWorker>().ping()), {}))) as ChainOutcome)).toBe("pong");
    const refused = (await door.__executeChain(sealChain(chainOf(ctn<GuardedWorker>().pong()), {}))) as ChainOutcome;
    expect(() => openOutcome(refused)).toThrow("refused by GuardedWorker.onBeforeCall() before it ran: Error: only ping is open, not pong");
  });

  it("cannot itself be reached through a chain", async () => {
    const error = (await knock(fresh(), [{ type: "get", key: "onBeforeCall" }])) as Error;
    expect(error.message).toMatch(/"onBeforeCall" is Lumenize plumbing/);
  });

  it("does not run for a delivery through the settle door, which proves itself with a token instead", async () => {
    const stub = fresh();
    await stub.close(["work"]);
    const { id, token } = await runInDurableObject(stub, (guarded: GuardedDO) =>
      guarded.lmz.alarms.expect(guarded.ctn().work(placeholder<number>()), { deadline: Date.now() + 60_000 }),
    );
    expect(await stub.__settle(id, token, await outcomeOf(21))).toBe(true);
    expect(await stub.seen()).toEqual([]);
    expect(await stub.runs()).toBe(1);
  });

  it("does not run for plain Workers RPC, which never goes through the door", async () => {
    const stub = fresh();
    await stub.close(["work"]);
    expect(await stub.work(2)).toBe(4);
    expect(await stub.seen()).toEqual([]);
  });
});

describe("the ledger example", () => {
  it("lets a teller deposit, and refuses members the ledger keeps closed", async () => {
    const deposited = await (await exports.default.fetch("http://example.test/security/teller/ada/deposit/5")).json();
    expect(deposited).toEqual({ balance: 5 });
    const refused = await (await exports.default.fetch("http://example.test/security/teller/ada/reset")).json();
    expect(refused).toEqual({ refused: "Operation chain reset(…) refused by LedgerDO.onBeforeCall() before it ran: Error: reset cannot be called through a chain" });
  });

  it("refuses a deposit from anyone but a teller", async () => {
    const { stub } = freshProbe("not-a-teller");
    const message = await inProbe(stub, (probe) =>
      probe.lmz.callRaw("LEDGER", "main", probe.ctn<LedgerDO>().deposit(1)).then(String, (error: Error) => error.message),
    );
    expect(message).toBe("Operation chain deposit(…) refused by LedgerDO.onBeforeCall() before it ran: Error: only a TELLER deposits");
  });
});
