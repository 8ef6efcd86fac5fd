import { env } from "cloudflare:workers";
import { abortAllDurableObjects, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { expect, it, vi } from "vitest";
import type { VisitorDO } from "../src/visitor";

it("an eviction keeps a visitor's storage, schedule and count", async () => {
  const ada = env.VISITOR.getByName("ada");
  await ada.arrive();
  // As the platform unloads an idle object: the instance goes, once its work in flight is done.
  await evictDurableObject(ada);

  await vi.waitFor(async () => expect((await ada.visitor()).visit).toBeTypeOf("number"));
  expect((await ada.visitor()).here).toBe(true);
  await runInDurableObject(ada, (visitor: VisitorDO) => expect(visitor.lmz.alarms.getSchedule("sign-out")).toBeDefined());
});

it("a crash keeps what was stored, and the next instance signs the visitor out", async () => {
  await env.VISITOR.getByName("grace").arrive();
  // As a crash or a redeploy: every instance dies with its work in flight; storage stays.
  await abortAllDurableObjects();

  // Old stubs are broken by the abort: take a new one.
  const grace = env.VISITOR.getByName("grace");
  expect((await grace.visitor()).here).toBe(true);
  await runInDurableObject(grace, (visitor: VisitorDO) => visitor.lmz.alarms.triggerAlarms(1));
  expect((await grace.visitor()).here).toBe(false);
});
