import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import type { VisitorDO } from "../src/visitor";

it("a visitor is signed out by the platform alarm, as in production, once the schedule is due", async () => {
  const linus = env.VISITOR.getByName("linus");
  await linus.arrive();
  // The alarm handler runs only what is due: make the sign-out due now (the same id replaces it).
  await runInDurableObject(linus, (visitor: VisitorDO) => visitor.lmz.alarms.schedule(new Date(0), visitor.ctn().signOut(), { id: "sign-out" }));

  expect(await runDurableObjectAlarm(linus)).toBe(true);
  expect((await linus.visitor()).here).toBe(false);
});
