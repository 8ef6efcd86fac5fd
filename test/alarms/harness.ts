/**
 * Shared setup for the alarms tests: a fresh Durable Object per test, and an
 * `afterEach` check that each one used ends with no schedule rows and no
 * platform alarm (the pool does not reset alarms between tests, so a
 * leftover would fire in the middle of another test). The "Alarms" page shows region "clean" (expectCleanAfterEach with what it needs).
 */
// #region clean
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect } from "vitest";
import type { DigestDO } from "../../examples/alarms/digest";
import type { OffersDO } from "../../examples/alarms/offers";
import type { RemindersDO } from "../../examples/alarms/reminders";
import type { Delivery, ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";

type AnyStub = DurableObjectStub<ProbeDO> | DurableObjectStub<RemindersDO> | DurableObjectStub<DigestDO> | DurableObjectStub<OffersDO>;

/** Every DO a test used, as a way to reach it: a stub breaks when `abortAllDurableObjects` runs. */
const used = new Map<string, () => AnyStub>();
// #endregion clean
let counter = 0;

/** A ProbeDO no other test touches: `record($schedule, tag)` logs, `explode($schedule, tag)` logs and throws. */
export function freshProbe(prefix: string): { name: string; stub: DurableObjectStub<ProbeDO> } {
  const name = `alarms-${prefix}-${counter++}`;
  used.set(`PROBE/${name}`, () => env.PROBE.getByName(name));
  return { name, stub: env.PROBE.getByName(name) };
}

/** The docs examples' Durable Objects, by binding. */
interface Examples {
  REMINDERS: RemindersDO;
  DIGEST: DigestDO;
  OFFERS: OffersDO;
}

/** A Durable Object of the docs examples that no other test touches. */
export function freshExample<B extends keyof Examples>(binding: B, prefix: string): { name: string; stub: DurableObjectStub<Examples[B]> } {
  const name = `alarms-${prefix}-${counter++}`;
  // `env[binding]` is a union of the three namespaces; B picks one of them.
  const reach = () => (env[binding] as unknown as DurableObjectNamespace<Examples[B]>).getByName(name);
  used.set(`${binding}/${name}`, reach as unknown as () => AnyStub);
  return { name, stub: reach() };
}

/** Runs `work` inside the probe instance. */
export function inProbe<R>(stub: DurableObjectStub<ProbeDO>, work: (probe: ProbeDO, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(stub, (probe: ProbeDO, state) => work(probe, state));
}

// #region clean
/** Lumenize's tables that hold what the platform alarm waits for: schedules and pending outcomes. */
const TABLES = ["__lmz_alarms", "__lmz_outcomes"];

/** How many schedules and pending outcomes the DO holds (0 before the first: no table yet). */
export function rowCount(sql: SqlStorage): number {
  return tablesIn(sql).reduce((sum, table) => sum + Number(sql.exec(`SELECT COUNT(*) AS n FROM ${table}`).one().n), 0);
}

function tablesIn(sql: SqlStorage): string[] {
  return TABLES.filter((table) => sql.exec("SELECT 1 FROM sqlite_master WHERE name = ?", table).toArray().length > 0);
}

/** Rows and platform alarm of a DO, as seen from inside it. */
export function storedState(stub: AnyStub): Promise<{ rows: number; alarm: number | null }> {
  return runInDurableObject(stub as DurableObjectStub<ProbeDO>, async (_instance, state) => ({
    rows: rowCount(state.storage.sql),
    alarm: await state.storage.getAlarm(),
  }));
}
// #endregion clean

/** The probe's deliveries, tags only, in order. */
export async function tagsOf(stub: DurableObjectStub<ProbeDO>): Promise<string[]> {
  return inProbe(stub, (probe) => probe.deliveries().map((delivery: Delivery) => delivery.tag));
}

/** Waits until the probe has `count` deliveries (fired by the real platform alarm). */
export function waitForTags(stub: DurableObjectStub<ProbeDO>, count: number, timeout = 10_000): Promise<string[]> {
  return waitForAtLeast(() => tagsOf(stub), count, "fired", timeout);
}

// #region clean
/**
 * Every DO a test used must end clean: no rows, no alarm. Cleans up anyway,
 * so one failure does not spill into the next test.
 */
export function expectCleanAfterEach(): void {
  afterEach(async () => {
    const leftovers: string[] = [];
    for (const [key, reach] of used) {
      const stub = reach();
      const state = await storedState(stub);
      if (state.rows > 0 || state.alarm !== null) leftovers.push(`${key}: ${state.rows} rows, alarm ${state.alarm}`);
      await runInDurableObject(stub as DurableObjectStub<ProbeDO>, async (_instance, ctx) => {
        for (const table of tablesIn(ctx.storage.sql)) ctx.storage.sql.exec(`DELETE FROM ${table}`);
        await ctx.storage.deleteAlarm();
      });
    }
    used.clear();
    expect(leftovers, "schedules or alarms left behind").toEqual([]);
  });
}
// #endregion clean
