/**
 * The example behind the "Errors" docs page (website/docs/guides/errors.md,
 * which shows it whole), run by test/errors/checkout-example.test.ts: a shop
 * that charges a bank through `call` and tells each failure apart by its
 * `name`, because an Error that crossed a boundary was rebuilt on this side
 * without its class.
 */
import { LumenizeBase } from "lumenize-do";

/** Thrown by the bank. Its class stays on the bank's side; its name and fields travel. */
export class CardDeclinedError extends Error {
  override name = "CardDeclinedError";

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Cards are refused above this many cents. */
const CARD_LIMIT = 5_000;

export class BankDO extends LumenizeBase<Env> {
  /** Charges `cents` after `delayMs` (a slow bank, to show timeouts). */
  async charge(cents: number, delayMs = 0): Promise<string> {
    await scheduler.wait(delayMs);
    if (cents > CARD_LIMIT) throw new CardDeclinedError(`${cents} cents is over the card's limit`, false);
    return `receipt for ${cents} cents`;
  }
}

export class ShopDO extends LumenizeBase<Env> {
  checkout(cents: number, options: { bankDelayMs?: number; timeout?: number } = {}): string {
    const charge = this.ctn<BankDO>().charge(cents, options.bankDelayMs);
    return this.lmz.call("BANK", "main", charge, this.ctn().charged(charge), { timeout: options.timeout });
  }

  charged(receipt: string | Error): void {
    this.ctx.storage.kv.put("told", tell(receipt));
  }

  /** What the customer was last told. */
  told(): string | undefined {
    return this.ctx.storage.kv.get<string>("told");
  }
}

/** What to tell the customer. Test `name`: `receipt instanceof CardDeclinedError` is false here. */
function tell(receipt: string | Error): string {
  if (!(receipt instanceof Error)) return `paid: ${receipt}`;
  switch (receipt.name) {
    case "CardDeclinedError": {
      // The class did not travel, but its fields did.
      const { retryable } = receipt as CardDeclinedError;
      return `declined (${retryable ? "try again" : "use another card"}): ${receipt.message}`;
    }
    case "TimeoutError":
      // The bank was not told to stop: it may still charge. Look before charging again.
      return "no answer from the bank in time: check your statement before paying again";
    case "CallError":
      // Not reached, or it failed mid-charge: what it did before stands.
      return "the bank could not be reached: check your statement before paying again";
    default:
      return `something went wrong (${receipt.name})`;
  }
}
