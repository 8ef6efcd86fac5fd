import { LumenizeBase } from "lumenize-do";

/** What the checkout remembers of a payment. */
export type Receipt = { paid: number; balance: number } | { failed: string };

// #region wallet
/**
 * The remote side of a durable call. A durable call may reach `charge` more
 * than once (it is handed over again if the wallet crashed before saying it
 * got it), always with the same `this.lmz.callId`, so the wallet applies
 * each call id once and answers a repeat as it answered the first time.
 */
export class WalletDO extends LumenizeBase<Env> {
  charge(cents: number): number {
    const callId = this.lmz.callId;
    const done = callId === undefined ? undefined : this.ctx.storage.kv.get<number>(`charged:${callId}`);
    if (done !== undefined) return done;
    const balance = this.balance() - cents;
    if (balance < 0) throw new RangeError(`Cannot charge ${cents}: the balance is ${this.balance()}.`);
    this.ctx.storage.kv.put("balance", balance);
    // Written with the balance, in one batch: a crash keeps both or neither.
    if (callId !== undefined) this.ctx.storage.kv.put(`charged:${callId}`, balance);
    return balance;
  }

  deposit(cents: number): number {
    const balance = this.balance() + cents;
    this.ctx.storage.kv.put("balance", balance);
    return balance;
  }

  balance(): number {
    return this.ctx.storage.kv.get<number>("balance") ?? 0;
  }
}
// #endregion wallet

// #region checkout
/**
 * The caller. `pay` returns at once; `onCharged` runs exactly once, with the
 * new balance or the Error, even if this object crashes, is evicted or is
 * redeployed while the wallet works.
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
