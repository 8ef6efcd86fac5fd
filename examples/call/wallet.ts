/**
 * The remote side of the durable-call example (see checkout.ts): a wallet
 * that may receive the same charge twice, and applies it once.
 */
// #region wallet
import { LumenizeBase } from "lumenize-do";

/**
 * A durable call may reach `charge` more than once (it is handed over again
 * if the wallet crashed before saying it took it), always with the same
 * `this.lmz.callId`, so the wallet applies each call id once and answers a
 * repeat as it answered the first time.
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
