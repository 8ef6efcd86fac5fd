/** Runs exactly the code the "call" docs page shows (examples/call: user.ts, counter.ts, deadline.ts). */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { VisitLog } from "../../examples/call/user";

const lastVisitOf = (name: string, until: (log: VisitLog) => boolean) =>
  vi.waitFor(
    async () => {
      const log = await env.USER.getByName(name).lastVisit();
      if (!until(log)) throw new Error(`not yet: ${JSON.stringify(log)}`);
      return log;
    },
    { timeout: 5_000, interval: 20 },
  );

describe("the call page example: UserDO counts visits on CounterDO", () => {
  it("returns a call id at once and later records the count", async () => {
    const user = env.USER.getByName("ada");
    const before = await env.IMPATIENT_USER.getByName("ada").visitsNow();
    const callId = await user.recordVisit();
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await lastVisitOf("ada", (log) => log.visits !== undefined)).toEqual({ visits: before + 1 });
  });

  it("delivers the counter's CounterError to the continuation, name intact", async () => {
    await env.USER.getByName("bob").recordVisit(1.5);
    expect(await lastVisitOf("bob", (log) => log.error !== undefined)).toEqual({
      error: { name: "CounterError", message: "Cannot count by 1.5: give a whole number." },
    });
  });

  it("delivers a TimeoutError when the counter is too slow", async () => {
    const impatient = env.IMPATIENT_USER.getByName("cy");
    await impatient.peekWithin(50, 500);
    await vi.waitFor(async () => expect(await impatient.lastPeek()).toBe("TimeoutError"), { timeout: 5_000, interval: 20 });
  });

  it("awaits the same remote with callRaw", async () => {
    const impatient = env.IMPATIENT_USER.getByName("dee");
    const first = await impatient.visitsNow();
    await env.USER.getByName("dee").recordVisit(2);
    await lastVisitOf("dee", (log) => log.visits !== undefined);
    expect(await impatient.visitsNow()).toBe(first + 2);
  });
});
