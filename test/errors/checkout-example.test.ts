/**
 * Runs exactly the code the "Errors" docs page shows (examples/errors/checkout.ts):
 * every failure reaches the shop's continuation as an Error told apart by its
 * name, since the class of an Error that crossed a boundary does not travel.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { CardDeclinedError, type ShopDO } from "../../examples/errors/checkout";

let counter = 0;

/** Checks out at a fresh shop and waits for what its customer is told. */
async function checkout(cents: number, options: { bankDelayMs?: number; timeout?: number } = {}, meanwhile?: () => Promise<void>): Promise<string> {
  const shop = env.SHOP.getByName(`shop-${counter++}`);
  await shop.checkout(cents, options);
  await meanwhile?.();
  return vi.waitFor(
    async () => {
      const told = await shop.told();
      if (told === undefined) throw new Error("not told yet");
      return told;
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe("the errors page example: a shop tells failures apart by name", () => {
  it("pays when the bank answers", async () => {
    expect(await checkout(1_200)).toBe("paid: receipt for 1200 cents");
  });

  it("tells a declined card by its name, and reads the fields it carried", async () => {
    expect(await checkout(9_000)).toBe("declined (use another card): 9000 cents is over the card's limit");
  });

  it("gets the bank's CardDeclinedError as an Error with its name and fields, but not its class", async () => {
    const shop = env.SHOP.getByName(`shop-${counter++}`);
    const seen = await runInDurableObject(shop, (instance: ShopDO) =>
      instance.lmz.callRaw("BANK", "main", instance.ctn<import("../../examples/errors/checkout").BankDO>().charge(9_000)).then(
        () => "paid",
        (error: Error) => ({ name: error.name, isError: error instanceof Error, isItsClass: error instanceof CardDeclinedError, retryable: (error as CardDeclinedError).retryable }),
      ),
    );
    expect(seen).toEqual({ name: "CardDeclinedError", isError: true, isItsClass: false, retryable: false });
  });

  it("tells a bank slower than the timeout by TimeoutError", async () => {
    expect(await checkout(1_200, { bankDelayMs: 1_000, timeout: 50 })).toBe("no answer from the bank in time: check your statement before paying again");
  });

  it("tells a bank that crashed mid-charge by CallError", async () => {
    const crashTheBank = async () => {
      await scheduler.wait(100);
      // The bank's instance is reset while the charge waits: the RPC in flight fails.
      await runInDurableObject(env.BANK.getByName("main"), (_bank, state) => state.abort("crashed for the test")).catch(() => undefined);
    };
    expect(await checkout(1_200, { bankDelayMs: 2_000 }, crashTheBank)).toBe("the bank could not be reached: check your statement before paying again");
  });
});
