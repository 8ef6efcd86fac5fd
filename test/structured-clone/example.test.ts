/**
 * The example behind the structured-clone docs page
 * (examples/structured-clone/round-trip.ts): runs it as the page shows it.
 */
import { describe, expect, it } from "vitest";
import { roundTripDemo } from "../../examples/structured-clone/round-trip";

describe("the structured-clone example", () => {
  it("reports that Dates, bytes, the cycle and the custom error all survived", async () => {
    const response = await roundTripDemo();
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      history: ["placed 2025-01-01T09:00:00.000Z", "declined 2025-01-01T09:05:00.000Z"],
      datesAreDates: true,
      receipt: "DECLINED",
      receiptIsBytes: true,
      cycleKept: true,
      error: "PaymentError: card declined",
      cause: "RangeError: over limit",
      causeIsRangeError: true,
      retryable: true,
    });
  });
});

describe("the format sample on the structured-clone docs page", () => {
  it("is what preprocess really produces", async () => {
    // Read the page's json fence so the sample cannot drift from the code.
    const { preprocessSync } = await import("../../lib/structured-clone");
    const { default: page } = await import("../../website/docs/foundations/structured-clone.md?raw");
    const sample = /```json\n(.*)\n```/.exec(page as string)?.[1];
    expect(sample).toBeDefined();
    const value = { id: "order-42", history: new Map([["placed", new Date(1735722000000)]]) };
    expect(preprocessSync(value)).toEqual(JSON.parse(sample as string));
  });
});
