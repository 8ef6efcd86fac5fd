/**
 * The one harness of the workerd tests: Durable Objects no other test
 * touches (`fresh`, `freshProbe`), code run inside them (`inProbe`),
 * outcomes sealed as a door seals them (`outcomeOf`), and an
 * `afterEach` check that every object a test used ends clean: no schedule,
 * no pending outcome, no orchestrator job and no platform alarm. The pool
 * does not reset alarms between tests, so a leftover would fire in the middle
 * of another test. The "Alarms" and "proxy-fetch" pages show region "clean".
 */
import { env } from "cloudflare:workers";
import { openOutcome, sealOutcome, sealThrown, type ChainOutcome } from "../lib/envelope";
// #region clean
import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect } from "vitest";

/** Every Durable Object a test used, as a way to reach it: a stub breaks when `abortAllDurableObjects` runs. */
const used = new Map<string, () => DurableObjectStub>();

/** Adds a Durable Object to the clean-after-each check. */
export function track(key: string, reach: () => DurableObjectStub): void {
  used.set(key, reach);
}

/** What a Durable Object stores for alarms and proxy-fetch, read from inside it. */
export interface StoredState {
  /** Every table but the platform's own. */
  tables: string[];
  schedules: { id: string; time: number }[];
  /** Pending outcomes (what a proxied fetch's origin waits for, say). */
  outcomes: { id: string; token: string; time: number }[];
  /** The orchestrator's jobs. */
  jobs: number;
  alarm: number | null;
}

/** Lumenize's tables whose rows something waits for, and how to read them. */
const WAITING = {
  __lmz_alarms: "SELECT id, time FROM __lmz_alarms ORDER BY time, id",
  __lmz_outcomes: "SELECT id, token, time FROM __lmz_outcomes ORDER BY time, id",
  __lmz_proxy_fetch_jobs: "SELECT id FROM __lmz_proxy_fetch_jobs",
};

export function storedState(stub: DurableObjectStub): Promise<StoredState> {
  return runInDurableObject(stub, async (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")
      .toArray()
      .map((row) => row.name);
    const rows = <T,>(table: keyof typeof WAITING) => (tables.includes(table) ? (sql.exec(WAITING[table]).toArray() as T[]) : []);
    return {
      tables,
      schedules: rows<{ id: string; time: number }>("__lmz_alarms"),
      outcomes: rows<{ id: string; token: string; time: number }>("__lmz_outcomes"),
      jobs: rows("__lmz_proxy_fetch_jobs").length,
      alarm: await state.storage.getAlarm(),
    };
  });
}

/** What {@link storedState} shows of an object that ended clean (tables may stay). */
export const CLEAN = { schedules: [], outcomes: [], jobs: 0, alarm: null } as const;

/** Whether {@link storedState} shows an object that ended clean: nothing waiting, no alarm. */
export function isClean(state: StoredState): boolean {
  return state.schedules.length === 0 && state.outcomes.length === 0 && state.jobs === 0 && state.alarm === null;
}

/** Every object a test used must end clean; each is cleaned anyway, so one failure does not spill into the next test. */
export function expectCleanAfterEach(): void {
  afterEach(async () => {
    const leftovers: string[] = [];
    for (const [key, reach] of used) {
      const state = await storedState(reach());
      if (!isClean(state)) {
        leftovers.push(`${key}: ${state.schedules.length} schedules, ${state.outcomes.length} pending outcomes, ${state.jobs} jobs, alarm ${state.alarm}`);
      }
      await runInDurableObject(reach(), async (_instance, ctx) => {
        for (const table of Object.keys(WAITING)) if (state.tables.includes(table)) ctx.storage.sql.exec(`DELETE FROM ${table}`);
        await ctx.storage.deleteAlarm();
      });
    }
    used.clear();
    expect(leftovers, "schedules, pending outcomes, jobs or alarms left behind").toEqual([]);
  });
}
// #endregion clean

/** The Durable Object namespaces the tests can reach, by binding. */
type Namespaces = { [B in keyof Env as Env[B] extends DurableObjectNamespace<infer _> ? B : never]: Env[B] };
/** The stub type of a binding's objects. */
export type StubOf<B extends keyof Namespaces> = Namespaces[B] extends DurableObjectNamespace<infer T> ? DurableObjectStub<T> : never;

let counter = 0;

/** An object of `binding` no other test touches, checked by {@link expectCleanAfterEach} if the file asks for it. */
export function fresh<B extends keyof Namespaces>(binding: B, prefix: string): { name: string; stub: StubOf<B> } {
  const name = `${prefix}-${counter++}`;
  const reach = () => (env[binding] as unknown as DurableObjectNamespace).getByName(name) as StubOf<B>;
  track(`${binding}/${name}`, reach as () => DurableObjectStub);
  return { name, stub: reach() };
}

/** A ProbeDO no other test touches (test/fixtures/probe.ts: `record(result, tag)` keeps each delivery). */
export function freshProbe(prefix = "probe"): { name: string; stub: StubOf<"PROBE"> } {
  return fresh("PROBE", prefix);
}

/** Runs `work` inside the object, where `this.lmz` calls must be made. */
export function inProbe<R>(stub: StubOf<"PROBE">, work: (probe: import("./fixtures/probe").ProbeDO, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(stub, work);
}

/** How many schedules, pending outcomes and jobs the object holds (0 before the first: no table yet). */
export function rowCount(sql: SqlStorage): number {
  return Object.keys(WAITING).reduce((sum, table) => {
    const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0;
    return sum + (exists ? Number(sql.exec(`SELECT COUNT(*) AS n FROM ${table}`).one().n) : 0);
  }, 0);
}

/** An outcome as a door delivers it (to `__settle`, say): `value`, or with `{ thrown: true }`, the Error in its place. */
export async function outcomeOf(value: unknown, { thrown = false } = {}): Promise<ChainOutcome> {
  return thrown ? sealThrown([], value) : sealOutcome([], value);
}

/** What `outcome` carries: its value, or the Error in its place (returned, not thrown). */
export function valueOrError(outcome: ChainOutcome): unknown {
  try {
    return openOutcome(outcome);
  } catch (error) {
    return error;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
