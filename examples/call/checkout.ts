/**
 * The durable-call example of the "call" page: CheckoutDO pays through
 * WalletDO (wallet.ts) with a durable call.
 */
// #region checkout
import { LumenizeBase } from "lumenize-do";
import type { WalletDO } from "./wallet";

/** What the checkout remembers of a payment. */
export type Receipt = { paid: number; balance: number } | { failed: string };

/**
 * `pay` returns at once; `onCharged` runs exactly once, with the new balance
 * or the Error, even if this object crashes, is evicted or is redeployed
 * while the wallet works.
 */
export class CheckoutDO extends LumenizeBase<Env> {
  pay(wallet: string, cents: number): string {
    const remote = this.ctn<WalletDO>().charge(cents);
    return this.lmz.call("WALLET", wallet, remote, this.ctn().onCharged(remote, cents), { durable: true, timeout: 60_000 });
  }

  onCharged(balance: number | Error, cents: number): void {
    const receipt: Receipt = balance instanceof Error ? { failed: `${balance.name}: ${balance.message}` } : { paid: cents, balance };
    this.ctx.storage.kv.put("receipt", receipt);
  }

  receipt(): Receipt | undefined {
    return this.ctx.storage.kv.get<Receipt>("receipt");
  }
}
// #endregion checkout
