// Your first test: copy this file, rename it, and change what it asks.
// It runs inside workerd with the same bindings `npm start` serves.
import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";

it("a user's visit is counted by the counter, through call", async () => {
  const user = env.USER.getByName("my-first-user");
  await user.recordVisit(3);

  // The continuation runs a moment later, on the user DO: wait for it.
  await vi.waitFor(async () => {
    expect((await user.lastVisit()).visits).toBeGreaterThanOrEqual(3);
  });
});
