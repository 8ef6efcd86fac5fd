/**
 * The durable-call example of the "call" page (examples/call/checkout.ts, wallet.ts):
 * CheckoutDO pays through WalletDO with a durable call, and the wallet
 * applies each call id once.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ctn, getOperationChain, placeholder, type OperationChain } from "../../lib";
import type { Delivery } from "../../lib/delivery";
import { sealChain } from "../../lib/envelope";
import type { CheckoutDO } from "../../examples/call/checkout";
import type { WalletDO } from "../../examples/call/wallet";
import type { ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";
import { freshProbe, inProbe, sleep } from "../harness";

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now()}-${counter++}`;

/** The checkout's receipt, once it has one. */
const receiptOf = (checkout: DurableObjectStub<CheckoutDO>) => waitForAtLeast(async () => [await checkout.receipt()].filter(Boolean), 1, "receipts").then(([receipt]) => receipt);

describe("durable call example: checkout and wallet", () => {
  it("pays once: the receipt holds the new balance", async () => {
    const wallet = fresh("wallet");
    await env.WALLET.getByName(wallet).deposit(1_000);
    const checkout = env.CHECKOUT.getByName(fresh("checkout"));
    expect(await checkout.pay(wallet, 300)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await receiptOf(checkout)).toEqual({ paid: 300, balance: 700 });
    expect(await env.WALLET.getByName(wallet).balance()).toBe(700);
  });

  it("gives the checkout the wallet's Error when the balance is too low", async () => {
    const wallet = fresh("wallet");
    const checkout = env.CHECKOUT.getByName(fresh("checkout"));
    await checkout.pay(wallet, 300);
    expect(await receiptOf(checkout)).toEqual({ failed: "RangeError: Cannot charge 300: the balance is 0." });
  });

  it("charges once when the same durable call is handed over twice, and answers the repeat alike", async () => {
    const walletName = fresh("wallet");
    const wallet = env.WALLET.getByName(walletName);
    await wallet.deposit(1_000);
    // A caller waiting for the charge, as a durable call leaves it: one pending outcome.
    const { stub: caller, name } = freshProbe("checkout-twice");
    const $balance = placeholder<number | Error>();
    const { id, token, deadline } = await inProbe(caller, (probe) =>
      probe.lmz.alarms.expect(probe.ctn().recordDurably($balance, "charged"), { deadline: Date.now() + 60_000 }),
    );
    const callerId = await runInDurableObject(caller, (_probe: ProbeDO, state) => state.id.toString());
    // What a durable call hands over, sent twice, as a repeated hand-over would be.
    const envelope = sealChain(getOperationChain(ctn<WalletDO>().charge(250)) as OperationChain, { callee: { binding: "WALLET", name: walletName }, callId: id });
    const delivery: Delivery = { origin: { binding: "PROBE", name, id: callerId }, token, deadline };
    const door = wallet as unknown as { __acceptChains(handOvers: { envelope: unknown; delivery: Delivery }[]): Promise<(string | null)[]> };
    expect(await door.__acceptChains([{ envelope, delivery }])).toEqual([null]);
    expect(await door.__acceptChains([{ envelope, delivery }])).toEqual([null]);
    expect(await waitForAtLeast(() => caller.durableDeliveries(), 1, "continuations")).toEqual(["charged: 750"]);
    await sleep(300); // the repeat ran, and its delivery was refused
    expect(await caller.durableDeliveries()).toEqual(["charged: 750"]);
    expect(await wallet.balance()).toBe(750);
  });
});
