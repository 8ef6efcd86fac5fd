/**
 * Runs exactly the code the "Alarms" docs page shows (examples/alarms:
 * reminders.ts, digest.ts, offers.ts), and its routes. The page shows this
 * file's region "trigger", a test a user can copy.
 */
// #region trigger
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { LumenizeBase } from "lumenize-do";
import type { DigestDO } from "../../examples/alarms/digest";
import type { RemindersDO } from "../../examples/alarms/reminders";
// #endregion trigger
// How this repo tests itself: each test's objects are checked for leftovers after it.
import { expectCleanAfterEach, fresh, track } from "../harness";

expectCleanAfterEach();

// #region trigger
/** Inside the DO, as a test would: run the next `count` schedules now (or what is due). */
const trigger = <T extends LumenizeBase>(stub: DurableObjectStub<T>, count?: number) =>
  runInDurableObject(stub, async (instance: T) => (await instance.lmz.alarms.triggerAlarms(count)).map((schedule) => schedule.id));
// #endregion trigger

const app = (exports as unknown as { default: { fetch(url: string): Promise<Response> } }).default;

describe("the alarms page example: RemindersDO", () => {
  it("delivers a reminder when the platform alarm fires", async () => {
    const { stub } = fresh("REMINDERS", "deliver");
    const id = await stub.remind("tea", 0.05);
    const log = await vi.waitFor(
      async () => {
        const entries = await stub.log();
        if (entries.length === 0) throw new Error("not yet");
        return entries;
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(log).toEqual([{ kind: "reminder", id, text: "tea" }]);
    expect(await stub.pending()).toEqual([]);
  });

  it("delivers an overdue reminder when runDurableObjectAlarm fires the platform alarm", async () => {
    const { stub } = fresh("REMINDERS", "overdue");
    const id = await stub.remind("stretch", 3_600);
    // As if the hour had passed (or the DO had been down): the row is overdue.
    await runInDurableObject(stub, (_instance: RemindersDO, state) => {
      state.storage.sql.exec("UPDATE __lmz_alarms SET time = time - 3600000");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.log()).toEqual([{ kind: "reminder", id, text: "stretch" }]);
  });

  it("lists pending reminders soonest first, and a cancelled one never fires", async () => {
    const { stub } = fresh("REMINDERS", "cancel");
    const later = await stub.remind("water the plants", 120);
    const sooner = await stub.remind("call mom", 60);
    expect((await stub.pending()).map((reminder) => [reminder.id, reminder.text])).toEqual([
      [sooner, "call mom"],
      [later, "water the plants"],
    ]);
    expect(await stub.cancelReminder(sooner)).toBe(true);
    expect(await stub.cancelReminder(sooner)).toBe(false);
    expect(await trigger(stub, 5)).toEqual([later]);
    expect(await stub.log()).toEqual([{ kind: "reminder", id: later, text: "water the plants" }]);
  });
});

describe("the alarms page example: DigestDO", () => {
  it("keeps one daily digest however often it is started, and re-arms it for the next day after it runs", async () => {
    const { stub } = fresh("DIGEST", "digest");
    const next = await stub.startDailyDigest();
    expect(await stub.startDailyDigest()).toBe(next);
    expect(next).toMatch(/T08:00:00\.000Z$/);
    await stub.note("a");
    await stub.note("b");
    expect(await trigger(stub, 1)).toEqual(["daily-digest"]);
    expect((await stub.digests()).map((digest) => digest.notes)).toEqual([2]);
    const rearmed = await runInDurableObject(stub, (instance: DigestDO) => instance.lmz.alarms.getSchedule("daily-digest")?.time);
    expect(rearmed).toBe(Date.parse(next) + 24 * 3_600_000);
    await runInDurableObject(stub, (instance: DigestDO) => instance.lmz.alarms.cancelSchedule("daily-digest"));
  });
});

describe("the alarms page example: OffersDO", () => {
  it("lets whoever cancels the offer first act: an accept beats the expiry, and a later decline is too late", async () => {
    const { stub } = fresh("OFFERS", "offer-accepted");
    await stub.makeOffer("o1", 25, 60);
    expect(await stub.acceptOffer("o1")).toBe("accepted");
    expect(await stub.declineOffer("o1")).toBe("too late");
    expect(await trigger(stub, 5)).toEqual([]);
    expect(await stub.log()).toEqual([{ kind: "offer", offerId: "o1", price: 25, outcome: "accepted" }]);
  });

  // #region trigger
  it("lets the expiry win when nobody answered, and its follow-up, scheduled in the handler, fires later", async () => {
    const stub = env.OFFERS.getByName("offer-expired");
  // #endregion trigger
    track("OFFERS/offer-expired", () => env.OFFERS.getByName("offer-expired"));
  // #region trigger
    await stub.makeOffer("o2", 40, 60);
    expect(await trigger(stub, 1)).toEqual(["offer:o2"]);
    expect(await stub.acceptOffer("o2")).toBe("too late");
    expect(await trigger(stub, 1)).toEqual(["follow-up:o2"]);
    expect(await stub.log()).toEqual([
      { kind: "offer", offerId: "o2", price: 40, outcome: "expired" },
      { kind: "follow-up", offerId: "o2" },
    ]);
  });
  // #endregion trigger
});

describe("the alarms routes", () => {
  it("schedules, lists and cancels a reminder over HTTP", async () => {
    const { name } = fresh("REMINDERS", "routes");
    const made = (await (await app.fetch(`http://example.test/alarms/${name}/remind?in=60&text=tea`)).json()) as { id: string; cancel: string };
    expect(made.cancel).toBe(`/alarms/${name}/cancel/${made.id}`);
    const listed = (await (await app.fetch(`http://example.test/alarms/${name}/list`)).json()) as { pending: { id: string; text: string }[] };
    expect(listed.pending).toMatchObject([{ id: made.id, text: "tea" }]);
    expect(await (await app.fetch(`http://example.test${made.cancel}`)).json()).toEqual({ cancelled: true });
    expect(await (await app.fetch(`http://example.test${made.cancel}`)).json()).toMatchObject({ cancelled: false, pending: [] });
  });

  it("leads the index page's <id> placeholder to the pending reminders and their cancel links", async () => {
    const { name } = fresh("REMINDERS", "routes-placeholder");
    const made = (await (await app.fetch(`http://example.test/alarms/${name}/remind?in=60&text=tea`)).json()) as { id: string; cancel: string };
    // What a browser sends for the index page's link /alarms/<name>/cancel/<id>.
    const placeholder = (await (await app.fetch(`http://example.test/alarms/${name}/cancel/%3Cid%3E`)).json()) as { pending: { cancel: string }[] };
    expect(placeholder).toEqual({
      cancelled: false,
      note: `"<id>" is not a pending reminder of ${name}: cancel one of those pending, or make one first.`,
      pending: [{ id: made.id, text: "tea", at: expect.any(String), cancel: made.cancel }],
      remind: `/alarms/${name}/remind?in=60&text=tea`,
    });
    expect(await (await app.fetch(`http://example.test${placeholder.pending[0].cancel}`)).json()).toEqual({ cancelled: true });
  });

  it("answers a bad delay with a 400 quoting it, and schedules nothing", async () => {
    const { name } = fresh("REMINDERS", "routes-bad");
    const response = await app.fetch(`http://example.test/alarms/${name}/remind?in=-5`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'in="-5" is out of range: give a number from 0 to 86400 (seconds).', param: "in", value: "-5" });
    // expectCleanAfterEach checks this object has no schedule and no alarm.
  });

  it("plays the offer over HTTP: accept, then too late", async () => {
    const { name } = fresh("OFFERS", "routes-offer");
    await app.fetch(`http://example.test/alarms/${name}/offer/o3?price=10&expires=60`);
    expect(await (await app.fetch(`http://example.test/alarms/${name}/offer/o3/accept`)).json()).toEqual({ outcome: "accepted" });
    expect(await (await app.fetch(`http://example.test/alarms/${name}/offer/o3/decline`)).json()).toEqual({ outcome: "too late" });
  });

  it("starts the digest over HTTP", async () => {
    const { name, stub } = fresh("DIGEST", "routes-digest");
    const body = (await (await app.fetch(`http://example.test/alarms/${name}/digest`)).json()) as { nextDigest: string };
    expect(body.nextDigest).toMatch(/T08:00:00\.000Z$/);
    await runInDurableObject(stub, (instance: DigestDO) => instance.lmz.alarms.cancelSchedule("daily-digest"));
  });
});
