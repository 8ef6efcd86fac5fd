/**
 * `this.lmz.alarms`: any number of schedules, and the deadlines of pending
 * outcomes, multiplexed onto the one platform alarm of a Durable Object,
 * stored in its SQLite.
 *
 * Every public call is synchronous SQL: nothing awaits, nothing yields, so
 * no other request can interleave with a schedule or a cancel, and no
 * `blockConcurrencyWhile` is needed. Firing claims a schedule before running
 * it, so a cancel racing a firing has exactly one outcome.
 *
 * A claim lives in memory ({@link Claim}), where this instance's own
 * `schedule`, `cancelSchedule` and `getSchedule` consult it. What storage
 * needs to know of claims, which schedules a crashed instance was running,
 * is written once per group of up to {@link GROUP_SIZE} schedules; the
 * one-shots a group ran are deleted in one statement. So a firing writes
 * about one row, not a claim and a delete per schedule.
 */
import { describeChain, executeOperationChainEagerly, getOperationChain, hasPlaceholder, type AnyChain, type OperationChain } from "../chains";
import { parse, stringifySync } from "../structured-clone";
import { TimeoutError } from "../errors";
import { DONE, Deadlines, type RunEnd } from "./deadline";
import { AlarmsError } from "./errors";
import { describe, MAX_TIME, nextOccurrence, recurs, scheduleOf, specOf, type When } from "./kinds";
import { newToken, PendingOutcomes, type Due } from "./outcomes";
import { AlarmTable, MAX_IDS, type AlarmRow, type NewRow } from "./store";
import type {
  CronSchedule,
  DeadLetter,
  DelayedSchedule,
  ExpectOptions,
  ExpiredOutcome,
  Fired,
  Interval,
  IntervalSchedule,
  KeepOptions,
  PendingOutcome,
  PendingOutcomeInfo,
  Schedule,
  ScheduleCriteria,
  ScheduledSchedule,
  ScheduleOptions,
  TimeInput,
} from "./types";

/** Runs in all (the first and the retries) before a throwing schedule is dropped. */
export const MAX_ATTEMPTS = 5;
/** Wait before the first retry, in milliseconds; it doubles for each retry after (1 s, 2 s, 4 s, 8 s). */
export const RETRY_BASE_DELAY_MS = 1_000;

/**
 * Default {@link Alarms.handlerTimeout}: 60 seconds. The platform gives one
 * alarm invocation 15 minutes of wall-clock time
 * (https://developers.cloudflare.com/workers/platform/limits/#duration), and
 * handlers run one after another, so a hung one must give way long before.
 */
export const DEFAULT_HANDLER_TIMEOUT = 60_000;
/**
 * Once an alarm invocation has run this long, it starts no more handlers: the
 * due rows left wait for the next alarm, set to fire at once. With handlers
 * of at most {@link MAX_HANDLER_TIMEOUT}, it ends well inside the platform's
 * 15 minutes.
 */
const INVOCATION_BUDGET_MS = 10 * 60_000;
/** The largest {@link Alarms.handlerTimeout}: a handler started at the end of the budget still ends in time. */
const MAX_HANDLER_TIMEOUT = 4 * 60_000;
/**
 * The most schedules one claim covers. A crash re-runs the ones of its group
 * that ran but were not deleted yet (at most this many; with handlers that
 * await I/O, only the one running, as each such run is deleted at once).
 */
const GROUP_SIZE = MAX_IDS;

/**
 * The latest the platform alarm is set to: the runtime refuses alarms after
 * 2189 ("This API doesn't support dates after 2189"). A row due later wakes
 * the object then, finds nothing due, and the alarm is set again.
 */
const LATEST_PLATFORM_ALARM = Date.UTC(2189, 0, 1);

/**
 * A schedule a firing pass took to run. Until its handler starts, a cancel
 * or a replacement takes it back (`detached`), and the pass skips it. Once
 * started, a one-shot has fired: it cannot be cancelled, and a schedule made
 * with its id is a new one. A recurring schedule can be cancelled or
 * replaced while its occurrence runs; the run then leaves the row alone.
 */
interface Claim {
  readonly row: AlarmRow;
  started: boolean;
  /** The row is no longer this run's to finish or re-arm: cancelled, replaced, or wiped. */
  detached: boolean;
}

/**
 * The alarms capability of a {@link LumenizeBase} Durable Object, reached as
 * `this.lmz.alarms`.
 *
 * @see https://lumenize.dev/docs/capabilities/alarms
 */
export class Alarms {
  readonly #storage: DurableObjectStorage;
  readonly #host: object;
  readonly #table: AlarmTable;
  readonly #outcomes: PendingOutcomes;
  readonly #deadlines = new Deadlines();
  /** Schedules being run, by id. */
  readonly #claims = new Map<string, Claim>();
  /**
   * What this instance last set the platform alarm to: a time, `null` for
   * deleted, `undefined` when unknown (a new instance, or the alarm just
   * fired). Saves a storage write when nothing changes.
   */
  #armed: number | null | undefined;
  /** Firing passes in progress; the last one to end re-arms. */
  readonly #passes = new Set<Pass>();
  #lastPass = 0;
  #handlerTimeout = DEFAULT_HANDLER_TIMEOUT;

  /**
   * @internal Created by `LumenizeBase`. Never runs a handler: it counts an
   * attempt for each schedule a crashed instance was running (they stay in
   * line), and re-arms the platform alarm, which then runs them.
   */
  constructor(ctx: DurableObjectState, host: object) {
    this.#storage = ctx.storage;
    this.#host = host;
    // A table made (again), maybe after a `deleteAll()`, which also deleted the platform alarm.
    const forgetAlarm = () => (this.#armed = undefined);
    this.#table = new AlarmTable(ctx.storage, () => {
      forgetAlarm();
      // Claims exist only while the table does: it was wiped under them, with the rows they held.
      for (const claim of this.#claims.values()) claim.detached = true;
    });
    this.#outcomes = new PendingOutcomes(ctx.storage, host, this.#deadlines, forgetAlarm, (row, error) =>
      this.#table.addDeadLetter({ kind: "outcome", id: row.id, type: null, time: row.time, dropped_at: Date.now(), attempts: 1, chain: row.chain, metadata: null, ...errorColumns(error) }),
    );
    if (!this.#table.exists && !this.#outcomes.exists) return;
    if (this.#table.chargeCrashedClaims() > 0) {
      console.warn("[lumenize] alarms: a previous instance stopped while running schedules; they will run again.");
    }
    if (this.#nextTime() !== undefined) this.#arm();
  }

  /**
   * Milliseconds a handler may run before alarms stops waiting for it: its
   * run then counts as a failed attempt (retried like a handler that threw)
   * and the next due schedule starts. The overrunning handler is not stopped
   * (nothing can stop a promise) and may overlap its own retry; when it ends,
   * it no longer touches the schedule. Default {@link DEFAULT_HANDLER_TIMEOUT};
   * set it in your constructor.
   *
   * @throws {AlarmsError} for a value that is not a positive, finite number of
   *   milliseconds, or above 4 minutes (240000).
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  get handlerTimeout(): number {
    return this.#handlerTimeout;
  }

  set handlerTimeout(ms: number) {
    if (typeof ms !== "number" || !(ms > 0) || !Number.isFinite(ms) || ms > MAX_HANDLER_TIMEOUT) {
      throw new AlarmsError(
        `Invalid handlerTimeout ${String(ms)}: give a positive, finite number of milliseconds${ms > MAX_HANDLER_TIMEOUT ? `, at most ${MAX_HANDLER_TIMEOUT}` : ""} (the default is ${DEFAULT_HANDLER_TIMEOUT}).`,
      );
    }
    this.#handlerTimeout = ms;
  }

  // ---------------------------------------------------------------------------
  // Scheduling
  // ---------------------------------------------------------------------------

  /**
   * With `ifExists: "keep"`: schedules `continuation` unless a schedule with
   * `options.id` is already waiting, which is then returned unchanged (of
   * whatever kind it is) and nothing is written.
   *
   * @example
   * ```ts
   * // On every wake: the first call schedules it, later ones leave its time alone.
   * this.lmz.alarms.schedule(30, this.ctn().heartbeat(), { id: "heartbeat", ifExists: "keep" });
   * ```
   * @throws {AlarmsError} as the other overloads, for a bad `when`, id or option.
   * @see https://lumenize.dev/docs/capabilities/alarms#a-heartbeat
   */
  schedule<M = unknown>(when: When, continuation: AnyChain, options: KeepOptions<M>): Schedule<M>;
  /**
   * Schedules `continuation` (a chain from `this.ctn()`) to run once after
   * `delay` **seconds** (0 and fractions allowed; milliseconds are kept).
   * Put `$schedule` among its arguments to receive the fired {@link Schedule}.
   *
   * @example
   * ```ts
   * this.lmz.alarms.schedule(60, this.ctn().remind($schedule, "tea"));
   * ```
   * @throws {AlarmsError} for a negative or non-finite delay, a bad id or
   *   option, or a continuation that is not a chain; nothing is stored.
   * @throws {DataCloneError} for an argument or metadata that cannot be stored.
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  schedule<M = unknown>(delay: number, continuation: AnyChain, options?: ScheduleOptions<M>): DelayedSchedule<M>;
  /** Schedules `continuation` to run once at `date` (a past date fires as soon as possible). */
  schedule<M = unknown>(date: Date, continuation: AnyChain, options?: ScheduleOptions<M>): ScheduledSchedule<M>;
  /**
   * Schedules `continuation` to run at every time the 5-field cron
   * expression allows (minute hour day-of-month month day-of-week), read in
   * UTC, or in `options.timezone` (an IANA name such as `"Europe/Paris"`).
   *
   * @throws {AlarmsError} naming the problem, for an invalid expression, one
   *   that never fires, or an unknown time zone.
   */
  schedule<M = unknown>(cron: string, continuation: AnyChain, options?: ScheduleOptions<M>): CronSchedule<M>;
  /**
   * Schedules `continuation` to run every `interval.every` **seconds**, the
   * first time `every` seconds from now. Occurrences missed while the
   * object was down are skipped, not run in a burst.
   *
   * @throws {AlarmsError} for a period that is not a finite number of seconds of at least 0.001.
   */
  schedule<M = unknown>(interval: Interval, continuation: AnyChain, options?: ScheduleOptions<M>): IntervalSchedule<M>;
  schedule<M = unknown>(when: When, continuation: AnyChain, options?: ScheduleOptions<M>): Schedule<M>;
  schedule<M = unknown>(when: When, continuation: AnyChain, options: ScheduleOptions<M> = {}): Schedule<M> {
    const operationChain = getOperationChain(continuation);
    if (!operationChain) {
      throw new AlarmsError(
        `The continuation given to schedule() is not an operation chain (got ${describe(continuation)}). Build it with this.ctn(), e.g. this.ctn().remind($schedule, "tea").`,
      );
    }
    const id = options.id ?? crypto.randomUUID();
    if (typeof id !== "string" || id === "") {
      throw new AlarmsError(`Invalid schedule id ${JSON.stringify(id)}: give a non-empty string, or leave it out for a random one.`);
    }
    const { ifExists = "replace" } = options;
    if (ifExists !== "replace" && ifExists !== "keep") {
      throw new AlarmsError(`Invalid ifExists ${JSON.stringify(ifExists)}: give "replace" (the default) or "keep".`);
    }
    const spec = specOf(when, options.timezone, Date.now());
    // Serialize before writing, so a value that cannot be stored leaves nothing behind.
    const chain = stringifySync(operationChain);
    const metadata = options.metadata === undefined ? null : stringifySync(options.metadata);
    const row: NewRow = { id, type: spec.type, time: spec.time, cron: spec.cron, timezone: spec.timezone, every: spec.every, chain, metadata };
    const schedule = scheduleOf<M>(spec, id, operationChain, options.metadata);

    const claim = this.#held(id);
    const fired = claim !== undefined && claim.started && !recurs(claim.row.type);
    // Made during a pass: it waits for the next one (a handler scheduling itself with delay 0 cannot loop).
    for (const pass of this.#passes) pass.touched.add(id);
    if (ifExists === "keep" && !fired) {
      if (claim) return toSchedule<M>(claim.row);
      if (!this.#table.insertNew(row)) return toSchedule<M>(this.#table.get(id)!);
    } else {
      // The run holding the old row leaves the new one alone (and skips the old one if it had not started).
      if (claim) claim.detached = true;
      this.#table.upsert(row);
    }
    this.#arm();
    return schedule;
  }

  /**
   * Atomically removes a schedule and returns it, continuation included.
   * Returns `undefined` (never throws) if the id is unknown, or if the
   * schedule already fired, including while its handler is running: of a
   * cancel and a firing, exactly one wins. A recurring schedule (cron,
   * interval) can be cancelled while an occurrence runs; that run finishes
   * and no more follow.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  cancelSchedule<M = unknown>(id: string): Schedule<M> | undefined {
    if (typeof id !== "string") return undefined;
    const claim = this.#held(id);
    if (claim?.started && !recurs(claim.row.type)) return undefined;
    const row = this.#table.cancel(id);
    if (!row) return undefined;
    if (claim) claim.detached = true;
    this.#arm();
    return toSchedule<M>(row);
  }

  /** The schedule with this id, or `undefined` if there is none (or it has fired). */
  getSchedule<M = unknown>(id: string): Schedule<M> | undefined {
    if (typeof id !== "string" || this.#fired(id)) return undefined;
    const row = this.#table.get(id);
    return row && toSchedule<M>(row);
  }

  /**
   * The schedules waiting to fire, in time order, optionally of one `type`
   * and with `time` in `timeRange` (a `Date` or epoch milliseconds, both
   * ends included).
   *
   * @throws {AlarmsError} for a range end that is not a valid time.
   * @see https://lumenize.dev/docs/capabilities/alarms#what-is-waiting
   */
  getSchedules<M = unknown>(criteria: ScheduleCriteria = {}): Schedule<M>[] {
    const start = timeOf(criteria.timeRange?.start, -MAX_TIME, "start");
    const end = timeOf(criteria.timeRange?.end, MAX_TIME, "end");
    const rows = this.#table.list(start, end);
    return rows.filter((row) => (criteria.type === undefined || row.type === criteria.type) && !this.#fired(row.id)).map((row) => toSchedule<M>(row));
  }

  /** The claim of a run in progress that still holds the row with this id. */
  #held(id: string): Claim | undefined {
    const claim = this.#claims.get(id);
    return claim && !claim.detached ? claim : undefined;
  }

  /** Whether the row with this id is a one-shot whose handler has started: it has fired. */
  #fired(id: string): boolean {
    const claim = this.#held(id);
    return claim !== undefined && claim.started && !recurs(claim.row.type);
  }

  // ---------------------------------------------------------------------------
  // Pending outcomes
  // ---------------------------------------------------------------------------

  /**
   * Stores `continuation` (a chain from `this.ctn()` with a result
   * placeholder) to run once, later, with one outcome: the value or Error
   * that whoever holds the returned token passes to {@link settle} (from
   * elsewhere, through the `__settle` door), or, if none came by
   * `options.deadline`, a `TimeoutError`. The first to claim it wins; the
   * continuation runs at most once and is never retried (a throw is logged
   * and kept as a dead letter). One row, written synchronously; the deadline
   * rides this object's alarm.
   *
   * @example
   * ```ts
   * const receipt = placeholder<Receipt | Error>();
   * const { id, token } = this.lmz.alarms.expect(this.ctn().onPaid(receipt), { deadline: Date.now() + 60_000 });
   * ```
   * @throws {AlarmsError} for a continuation that is not a chain or has no
   *   result placeholder, a deadline that is not a valid time, or an id
   *   already pending; nothing is stored.
   * @throws {DataCloneError} for an argument that cannot be stored.
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  expect(continuation: AnyChain, options: ExpectOptions): PendingOutcome {
    const operationChain = getOperationChain(continuation);
    if (!operationChain || !hasPlaceholder(operationChain)) {
      throw new AlarmsError(
        `The continuation given to expect() ${operationChain ? "has no result placeholder" : `is not an operation chain (got ${describe(continuation)})`}: build it with this.ctn() and put a placeholder where the outcome goes, e.g. this.ctn().onPaid(placeholder<Receipt | Error>()).`,
      );
    }
    const deadline = options?.deadline instanceof Date ? options.deadline.getTime() : options?.deadline;
    if (typeof deadline !== "number" || !Number.isFinite(deadline) || Math.abs(deadline) > MAX_TIME) {
      throw new AlarmsError(`Invalid deadline ${String(options?.deadline)} given to expect(): give a Date or epoch milliseconds that a Date can hold.`);
    }
    const id = options.id ?? crypto.randomUUID();
    if (typeof id !== "string" || id === "") {
      throw new AlarmsError(`Invalid id ${JSON.stringify(id)} given to expect(): give a non-empty string, or leave it out for a random one.`);
    }
    const message = options.timeoutMessage ?? `No outcome arrived for pending outcome "${id}" by its deadline, ${new Date(deadline).toISOString()}.`;
    if (typeof message !== "string") throw new AlarmsError(`Invalid timeoutMessage given to expect(): give a string.`);
    const token = newToken();
    const chain = stringifySync(operationChain);
    try {
      this.#outcomes.insert({ id, token, time: deadline, chain, message });
    } catch (error) {
      if (!/UNIQUE constraint failed/.test(String((error as Error)?.message))) throw error;
      throw new AlarmsError(`A pending outcome with id "${id}" already exists: an id is unique until its outcome is settled or times out.`, { cause: error });
    }
    this.#arm();
    return { id, token, deadline };
  }

  /**
   * Claims the pending outcome `id` for `outcome` (a value, or an Error to
   * deliver in its place) and runs its continuation with it. Resolves `true`
   * once the continuation ran (or threw: it is logged, not retried; or ran
   * past {@link handlerTimeout}: it is then left to finish on its own);
   * `false`, changing nothing, if the token is wrong or the outcome was
   * already settled, timed out or never existed. The claim is synchronous:
   * of two settles, or a settle and the deadline, exactly one runs the
   * continuation.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  async settle(id: string, token: string, outcome: unknown): Promise<boolean> {
    if (typeof id !== "string" || typeof token !== "string") return false;
    const row = this.#outcomes.claim(id, token);
    if (!row) {
      if (this.#outcomes.has(id)) console.warn(`[lumenize] alarms: refused to settle pending outcome "${id}": wrong token.`);
      return false;
    }
    this.#arm();
    await this.#outcomes.run(row, outcome, this.#handlerTimeout);
    return true;
  }

  // ---------------------------------------------------------------------------
  // What is waiting, and what was dropped
  // ---------------------------------------------------------------------------

  /**
   * The pending outcomes waiting for their outcome (an in-flight
   * `proxyFetchSimple`, say), soonest deadline first, without their tokens.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms#what-is-waiting
   */
  getPendingOutcomes(): PendingOutcomeInfo[] {
    return this.#outcomes.list();
  }

  /**
   * The handlers given up on, oldest first, at most the last 100: schedules
   * dropped after their last attempt, and continuations of pending outcomes
   * that threw. Each is also logged when it happens.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms#dead-letters
   */
  getDeadLetters<M = unknown>(): DeadLetter<M>[] {
    return this.#table.deadLetters().map((row) => ({
      kind: row.kind as DeadLetter["kind"],
      id: row.id,
      ...(row.type === null ? {} : { type: row.type as Schedule["type"] }),
      time: row.time,
      droppedAt: row.dropped_at,
      attempts: row.attempts,
      operationChain: readBack(row.chain) as OperationChain | undefined,
      ...(row.metadata === null ? {} : { metadata: readBack(row.metadata) as M }),
      error: { name: row.error_name, message: row.error_message },
    }));
  }

  /**
   * Empties the dead letters; returns how many there were.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms#dead-letters
   */
  clearDeadLetters(): number {
    return this.#table.clearDeadLetters();
  }

  // ---------------------------------------------------------------------------
  // Firing
  // ---------------------------------------------------------------------------

  /**
   * What `LumenizeBase.alarm()` delegates to: runs every due schedule, and
   * answers every pending outcome past its deadline, in time order, then
   * re-arms the platform alarm. Never throws because of a handler (the
   * platform would re-run every schedule); a throwing handler is retried on
   * its own.
   */
  async alarm(_info?: AlarmInvocationInfo): Promise<void> {
    // The platform alarm that woke us is spent: none is set now, so an empty table needs no delete.
    this.#armed = null;
    try {
      await this.#runEach(Date.now(), Infinity);
    } finally {
      // Also picks up schedules made meanwhile, by handlers or by requests.
      this.#arm();
    }
  }

  /**
   * For tests: runs the due schedules (and times out the due pending
   * outcomes) now, without waiting for the platform alarm; with `count`,
   * runs the next `count` of them in time order, whether due or not.
   * Resolves, once their handlers finished, with what it ran: schedules
   * (those that threw included: they wait for a retry) and expired pending
   * outcomes (`type: "outcome"`). Then sets the platform alarm for what is
   * left, as a real alarm would.
   *
   * @throws {AlarmsError} for a `count` that is not a whole number, 0 or more.
   */
  async triggerAlarms(count?: number): Promise<Fired[]> {
    if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
      throw new AlarmsError(`Invalid count ${count} for triggerAlarms(): give a whole number, 0 or more, or leave it out to run what is due.`);
    }
    const ran: Fired[] = [];
    try {
      await (count === undefined ? this.#runEach(Date.now(), Infinity, ran) : this.#runEach(MAX_TIME, count, ran));
      return ran;
    } finally {
      this.#armed = undefined;
      this.#arm();
    }
  }

  /**
   * Runs what is due by `notAfter` (at most `count` of them), in time order,
   * one at a time: pending outcomes past their deadline from a list taken at
   * the start, schedules a page at a time in (time, id) order, in groups. A
   * row cancelled, settled, fired elsewhere or moved later is skipped, and
   * rows made meanwhile wait for the next alarm (so a handler that schedules
   * itself with delay 0 cannot loop forever here). Past the invocation's time
   * budget the rest wait too. What ran is added to `ran`, if given.
   */
  async #runEach(notAfter: number, count: number, ran?: Fired[]): Promise<void> {
    const pass: Pass = { id: ++this.#lastPass, touched: new Set() };
    const started = Date.now();
    this.#passes.add(pass);
    const releaseTimer = this.#deadlines.hold();
    let claimed = false;
    try {
      const outcomes = count === Infinity ? this.#outcomes.due(notAfter) : this.#outcomes.first(count);
      let nextOutcome = 0;
      let after: Due = { time: -Infinity, id: "" };
      for (let left = count; left > 0 && Date.now() - started < INVOCATION_BUDGET_MS; ) {
        const page = this.#table.page(after, notAfter, Math.min(GROUP_SIZE, left));
        const outcome = outcomes[nextOutcome];
        if (outcome && !(page[0]?.time <= outcome.time)) {
          // Ties go to schedules.
          nextOutcome++;
          left--;
          const expired = await this.#expire(outcome.id, notAfter);
          if (expired) ran?.push(expired);
          continue;
        }
        if (page.length === 0) break;
        const upTo = outcome ? page.findIndex((row) => row.time > outcome.time) : -1;
        const group = this.#claimGroup(pass, upTo === -1 ? page : page.slice(0, upTo));
        after = group.after;
        left -= group.rows.length;
        claimed ||= group.rows.length > 0;
        await this.#runGroup(pass, group.rows, started, ran);
      }
    } finally {
      if (claimed) this.#table.release(pass.id);
      releaseTimer();
      this.#passes.delete(pass);
    }
  }

  /**
   * Claims a group among `candidates` (consecutive rows of a page): those
   * that neither this pass touched (made, or ran and kept) nor another pass
   * holds; with neither, which is the common case, all of them. A
   * row that failed or crashed before runs in a group of its own, so a crash
   * is counted against it alone. Records the group's ids for a crash to find,
   * and returns it with the key to read on from.
   */
  #claimGroup(pass: Pass, candidates: readonly AlarmRow[]): { rows: readonly AlarmRow[]; after: Due } {
    const runnable = pass.touched.size === 0 && this.#claims.size === 0 ? candidates : candidates.filter((row) => !pass.touched.has(row.id) && !this.#claims.has(row.id));
    const suspect = runnable.findIndex((row) => row.attempts > 0);
    const rows = suspect === -1 ? runnable : runnable.slice(0, Math.max(suspect, 1));
    const last = rows.at(-1) ?? candidates.at(-1)!;
    if (rows.length > 0) {
      for (const row of rows) this.#claims.set(row.id, { row, started: false, detached: false });
      this.#table.claim(pass.id, rows.map((row) => row.id));
    }
    return { rows, after: { time: last.time, id: last.id } };
  }

  /**
   * Runs a claimed group in order. One-shots that ran are deleted together
   * at the end, or at once after a handler during which time passed (it
   * awaited I/O: a crash from then on would otherwise re-run it).
   */
  async #runGroup(pass: Pass, rows: readonly AlarmRow[], started: number, ran: Fired[] | undefined): Promise<void> {
    const done: Claim[] = [];
    let clock = Date.now();
    try {
      for (const row of rows) {
        const claim = this.#claims.get(row.id)!;
        if (claim.detached) {
          // Cancelled or replaced before its turn: not ours to run.
          this.#claims.delete(row.id);
          continue;
        }
        if (Date.now() - started >= INVOCATION_BUDGET_MS) break;
        claim.started = true;
        const schedule = this.#readBack(claim);
        let finished = true;
        if (schedule) {
          ran?.push(schedule);
          // No await for a synchronous handler, one for an asynchronous one: a firing pass runs thousands.
          if (row.attempts >= MAX_ATTEMPTS) finished = this.#crashedTooOften(claim, schedule);
          else {
            const timeout = this.#handlerTimeout;
            const end = this.#runHandler(row, schedule, timeout);
            finished = this.#afterRun(claim, schedule, end instanceof Promise ? await end : end, timeout);
          }
        }
        if (finished) done.push(claim);
        else {
          // Kept (re-armed, or detached): a later page of this pass may meet it again.
          pass.touched.add(row.id);
          this.#claims.delete(row.id);
        }
        if (Date.now() !== clock) {
          this.#finish(done);
          clock = Date.now();
        }
      }
    } finally {
      this.#finish(done);
      // Left over by the budget: back in line, as if never claimed.
      for (const row of rows) if (this.#claims.get(row.id)?.started === false) this.#claims.delete(row.id);
    }
  }

  /** Deletes the rows of runs that are over (unless cancelled or replaced meanwhile), in one statement. */
  #finish(done: Claim[]): void {
    if (done.length === 0) return;
    this.#table.finish(done.filter((claim) => !claim.detached).map((claim) => claim.row.id));
    for (const claim of done) this.#claims.delete(claim.row.id);
    done.length = 0;
  }

  /** The claimed row as the schedule to run; `undefined` if it cannot be read back (it is then dropped, with a dead letter). */
  #readBack(claim: Claim): Schedule | undefined {
    const { row } = claim;
    try {
      return toSchedule(row);
    } catch (error) {
      console.error(`[lumenize] alarms: schedule "${row.id}" could not be read back and was dropped.`, error);
      this.#deadLetter(row, error);
      return undefined;
    }
  }

  /** A schedule its instance crashed in every time it ran: dropped without running again. Returns whether to delete the row. */
  #crashedTooOften(claim: Claim, schedule: Schedule): boolean {
    // Only crashes count up to here: the instance died in this handler every time.
    const error = new AlarmsError(`Schedule "${claim.row.id}" was running each of the ${claim.row.attempts} times its Durable Object crashed.`);
    return this.#drop(claim, schedule, error);
  }

  /**
   * Runs the handler, waiting for it at most `timeout` milliseconds. A
   * synchronous handler ends here, with no promise: a firing pass runs
   * thousands, and nothing could have interrupted it anyway.
   */
  #runHandler(row: AlarmRow, schedule: Schedule, timeout: number): RunEnd | Promise<RunEnd> {
    let run: unknown;
    try {
      run = executeOperationChainEagerly(schedule.operationChain, this.#host, { result: schedule });
    } catch (error) {
      return { kind: "threw", error };
    }
    if (!(run instanceof Promise)) return DONE;
    return this.#deadlines.within(run, timeout, (lateEnd) => {
      console.warn(
        `[lumenize] alarms: schedule "${row.id}" (${describeChain(schedule.operationChain)}) ${lateEnd.kind === "done" ? "finished" : "threw"} after its ${timeout} ms deadline; its run had already been counted as failed.`,
      );
    });
  }

  /**
   * After a run: whether its row is to be deleted. A row to keep was re-armed
   * here (a retry, a recurring schedule's next occurrence).
   */
  #afterRun(claim: Claim, schedule: Schedule, end: RunEnd, timeout: number): boolean {
    if (end.kind !== "done") {
      // A late handler's eventual end is only logged: the row is no longer its own.
      const error = end.kind === "threw" ? end.error : new TimeoutError(`The handler did not finish within ${timeout} ms (handlerTimeout).`);
      return this.#failed(claim, schedule, error);
    }
    return recurs(claim.row.type) ? this.#nextOccurrence(claim) : true;
  }

  /** A run that threw or overran: retried with backoff, or dropped after the last attempt. Returns whether to delete the row. */
  #failed(claim: Claim, schedule: Schedule, error: unknown): boolean {
    const { row } = claim;
    const attempts = row.attempts + 1;
    if (attempts >= MAX_ATTEMPTS) return this.#drop(claim, schedule, error, attempts);
    const wait = RETRY_BASE_DELAY_MS * 2 ** (attempts - 1);
    console.warn(
      `[lumenize] alarms: schedule "${row.id}" (${describeChain(schedule.operationChain)}) threw on attempt ${attempts} of ${MAX_ATTEMPTS}; retrying in ${wait} ms. ${(error as Error)?.message ?? error}`,
    );
    if (!claim.detached) this.#table.rearm(row.id, Date.now() + wait, attempts);
    return false;
  }

  /** Gives up on a run: logs why and keeps a dead letter; a one-shot is deleted, a recurring schedule moves on to its next occurrence. */
  #drop(claim: Claim, schedule: Schedule, error: unknown, attempts = claim.row.attempts): boolean {
    const { row } = claim;
    const again = recurs(row.type);
    console.error(
      `[lumenize] alarms: schedule "${row.id}" (${describeChain(schedule.operationChain)}) failed ${MAX_ATTEMPTS} times and was dropped${again ? " until its next occurrence" : ""}.`,
      error,
    );
    this.#deadLetter({ ...row, attempts }, error);
    return again ? this.#nextOccurrence(claim) : true;
  }

  /** Re-arms a recurring row at its next occurrence; returns whether to delete it instead (there is none). */
  #nextOccurrence(claim: Claim): boolean {
    if (claim.detached) return false;
    const { row } = claim;
    let next: number | undefined;
    try {
      next = nextOccurrence(row, Date.now());
    } catch (error) {
      // An expression that no longer parses (stored by an older Lumenize): it cannot fire again.
      console.error(`[lumenize] alarms: schedule "${row.id}" has no next occurrence and was dropped.`, error);
      this.#deadLetter(row, error);
      return true;
    }
    if (next === undefined) return true;
    this.#table.rearm(row.id, next, 0);
    return false;
  }

  #deadLetter(row: AlarmRow, error: unknown): void {
    this.#table.addDeadLetter({
      kind: "schedule",
      id: row.id,
      type: row.type,
      time: row.time,
      dropped_at: Date.now(),
      attempts: row.attempts,
      chain: row.chain,
      metadata: row.metadata,
      ...errorColumns(error),
    });
  }

  /** The deadline's claim: the continuation runs once, with a TimeoutError, never retried. */
  async #expire(id: string, notAfter: number): Promise<ExpiredOutcome | undefined> {
    const row = this.#outcomes.expire(id, notAfter);
    if (!row) return undefined;
    const operationChain = await this.#outcomes.run(row, new TimeoutError(row.message), this.#handlerTimeout);
    return operationChain && { type: "outcome", id: row.id, time: row.time, operationChain };
  }

  // ---------------------------------------------------------------------------
  // The platform alarm
  // ---------------------------------------------------------------------------

  /**
   * Sets the platform alarm to the earliest time of all rows (schedules and
   * pending outcomes), overdue ones included, floored at now + 1 ms and
   * capped at the latest time the platform takes; deletes it when no rows
   * remain. Never filters on `time > now`: that would strand overdue rows.
   *
   * Never moves an alarm this instance set later: when a cancel or a settle
   * removes the earliest row, the alarm stays, fires early, finds nothing
   * due and is set again then. Moving it at once would cost a storage write
   * per cancel or settle; this costs one early wake per burst of them.
   * While a firing pass runs, nothing is set: the pass sets it when it ends.
   */
  #arm(): void {
    if (this.#passes.size > 0) return;
    const next = this.#nextTime();
    if (next === undefined) {
      if (this.#armed !== null) this.#setPlatformAlarm(null);
      return;
    }
    const at = Math.min(Math.max(next, Date.now() + 1), LATEST_PLATFORM_ALARM);
    const armed = this.#armed;
    if (typeof armed === "number" && armed <= at) return;
    this.#setPlatformAlarm(at);
  }

  #nextTime(): number | undefined {
    const schedule = this.#table.nextTime();
    const outcome = this.#outcomes.nextTime();
    if (schedule === undefined) return outcome;
    return outcome === undefined ? schedule : Math.min(schedule, outcome);
  }

  #setPlatformAlarm(at: number | null): void {
    this.#armed = at;
    const written = at === null ? this.#storage.deleteAlarm() : this.#storage.setAlarm(at);
    written.catch((error: unknown) => {
      this.#armed = undefined;
      console.error("[lumenize] alarms: could not set the platform alarm; it will be set again at the next schedule or alarm.", error);
    });
  }
}

/** A firing pass: what it made or ran is not run again before the next. */
interface Pass {
  readonly id: number;
  /** Ids made during the pass, or run and kept by it (re-armed); a one-shot it ran is deleted, so it cannot come back. */
  readonly touched: Set<string>;
}

function toSchedule<M>(row: AlarmRow): Schedule<M> {
  return scheduleOf<M>(row, row.id, parse(row.chain) as OperationChain, row.metadata === null ? undefined : (parse(row.metadata) as M));
}

/** A dead letter's stored text, read back; `undefined` if it cannot be (why it was dropped). */
function readBack(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function errorColumns(error: unknown): { error_name: string; error_message: string } {
  if (error instanceof Error) return { error_name: error.name, error_message: error.message };
  return { error_name: typeof error, error_message: String(error) };
}

function timeOf(value: TimeInput | undefined, fallback: number, end: string): number {
  if (value === undefined) return fallback;
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== "number" || Number.isNaN(time)) {
    throw new AlarmsError(`Invalid timeRange.${end}: give a valid Date or epoch milliseconds.`);
  }
  return time;
}
