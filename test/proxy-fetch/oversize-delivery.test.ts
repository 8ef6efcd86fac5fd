/**
 * Issue 16 (security model, limits): a Response too large for one Workers
 * RPC message (32 MiB) is not sent to the origin as is, which would fail the
 * delivery as a broken RPC; the executor seals an Error in its place, giving
 * the size and the limit, as the door does for a call's result.
 */
import { describe, expect, it } from "vitest";
import { openOutcome } from "../../lib/envelope";
import { sealResult } from "../../lib/proxy-fetch/deliver";

describe("a proxied Response over the RPC message limit", () => {
  it("is delivered as an InvalidInputError giving its size and the 32 MiB limit", async () => {
    const outcome = await sealResult(new Response("x".repeat(33 * 1024 * 1024)));
    expect(outcome[0]).toBe("!");
    let delivered: unknown;
    try {
      openOutcome(outcome);
    } catch (error) {
      delivered = error;
    }
    expect((delivered as Error).name).toBe("InvalidInputError");
    expect((delivered as Error).message).toMatch(/could not be sent back: it is [\d,]+ bytes in Workers RPC's encoding, over its limit of 33,554,432 bytes \(32 MiB\)/);
  });
});
