import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { VisitorDO } from "../src/visitor";

describe("visitors", () => {
  it("each visit is counted by the shared counter, through call", async () => {
    await exports.default.fetch("https://starter.test/ada", { method: "POST" });
    await exports.default.fetch("https://starter.test/grace", { method: "POST" });

    // The count arrives a moment after the visit returns: wait for it.
    await vi.waitFor(async () => {
      const visits = [(await env.VISITOR.getByName("ada").visitor()).visit, (await env.VISITOR.getByName("grace").visitor()).visit];
      expect(visits.sort()).toEqual([1, 2]);
    });
  });

  it("a visitor is signed out after a quiet minute, by an alarm", async () => {
    const linus = env.VISITOR.getByName("linus");
    await linus.arrive();
    expect((await linus.visitor()).here).toBe(true);

    // Run the next schedule now instead of waiting a minute.
    await runInDurableObject(linus, (visitor: VisitorDO) => visitor.lmz.alarms.triggerAlarms(1));
    expect((await linus.visitor()).here).toBe(false);
  });
});
