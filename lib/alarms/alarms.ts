/**
 * `this.lmz.alarms`: any number of schedules, and the deadlines of pending
 * outcomes, multiplexed onto the one platform alarm of a Durable Object,
 * stored in its SQLite.
 *
 * Every public call is synchronous SQL: nothing awaits, nothing yields, so
 * no other request can interleave with a schedule or a cancel, and no
 * `blockConcurrencyWhile` is needed. Firing claims a row before running it,
 * so a cancel racing a firing has exactly one outcome.
 */
import { describeChain, executeOperationChain, getOperationChain, hasPlaceholder, type AnyChain, type OperationChain } from "../chains";
import { parse, stringifySync } from "../structured-clone";
import { TimeoutError } from "../errors";
import { nextCronTime, parseCron } from "./cron";
import { within } from "./deadline";
import { AlarmsError } from "./errors";
import { newToken, PendingOutcomes, type Due } from "./outcomes";
import { AlarmTable, type AlarmRow } from "./store";
import type {
  CronSchedule,
  DelayedSchedule,
  ExpectOptions,
  ExpiredOutcome,
  Fired,
  PendingOutcome,
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

/** The largest time a Date can hold, in epoch milliseconds. */
const MAX_TIME = 8.64e15;
/**
 * The latest the platform alarm is set to: the runtime refuses alarms after
 * 2189 ("This API doesn't support dates after 2189"). A row due later wakes
 * the object then, finds nothing due, and the alarm is set again.
 */
const LATEST_PLATFORM_ALARM = Date.UTC(2189, 0, 1);

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
  /**
   * What this instance last set the platform alarm to: a time, `null` for
   * deleted, `undefined` when unknown (a new instance, or the alarm just
   * fired). Saves a storage write when nothing changes.
   */
  #armed: number | null | undefined;
  /** Claim tokens: unique per run in this instance (the constructor clears older ones). */
  #lastClaim = 0;
  #handlerTimeout = DEFAULT_HANDLER_TIMEOUT;

  /**
   * @internal Created by `LumenizeBase`. Never runs a handler: it puts rows
   * a crashed instance was running back in line and re-arms the platform
   * alarm, which then runs them.
   */
  constructor(ctx: DurableObjectState, host: object) {
    this.#storage = ctx.storage;
    this.#host = host;
    // A table made (again) after a `deleteAll()`, which also deleted the platform alarm.
    const forgetAlarm = () => (this.#armed = undefined);
    this.#table = new AlarmTable(ctx.storage.sql, forgetAlarm);
    this.#outcomes = new PendingOutcomes(ctx.storage.sql, host, forgetAlarm);
    if (!this.#table.exists && !this.#outcomes.exists) return;
    if (this.#table.resetClaims() > 0) {
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
   * Schedules `continuation` (a chain from `this.ctn()`) to run once after
   * `delay` **seconds** (0 and fractions allowed; milliseconds are kept).
   * Put `$schedule` among its arguments to receive the fired {@link Schedule}.
   *
   * @example
   * ```ts
   * this.lmz.alarms.schedule(60, this.ctn().remind($schedule, "tea"));
   * ```
   * @throws {AlarmsError} for a negative or non-finite delay, a bad id, or a
   *   continuation that is not a chain; nothing is stored.
   * @throws {DataCloneError} for an argument or metadata that cannot be stored.
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  schedule<M = unknown>(delay: number, continuation: AnyChain, options?: ScheduleOptions<M>): DelayedSchedule<M>;
  /** Schedules `continuation` to run once at `date` (a past date fires as soon as possible). */
  schedule<M = unknown>(date: Date, continuation: AnyChain, options?: ScheduleOptions<M>): ScheduledSchedule<M>;
  /**
   * Schedules `continuation` to run at every time the 5-field UTC cron
   * expression allows (minute hour day-of-month month day-of-week).
   *
   * @throws {AlarmsError} naming the bad field of an invalid expression.
   */
  schedule<M = unknown>(cron: string, continuation: AnyChain, options?: ScheduleOptions<M>): CronSchedule<M>;
  schedule<M = unknown>(when: number | Date | string, continuation: AnyChain, options?: ScheduleOptions<M>): Schedule<M>;
  schedule<M = unknown>(when: number | Date | string, continuation: AnyChain, options: ScheduleOptions<M> = {}): Schedule<M> {
    const operationChain = getOperationChain(continuation);
    if (!operationChain) {
      throw new AlarmsError(
        `The continuation given to schedule() is not an operation chain (got ${kindOf(continuation)}). Build it with this.ctn(), e.g. this.ctn().remind($schedule, "tea").`,
      );
    }
    const id = options.id ?? crypto.randomUUID();
    if (typeof id !== "string" || id === "") {
      throw new AlarmsError(`Invalid schedule id ${JSON.stringify(id)}: give a non-empty string, or leave it out for a random one.`);
    }
    const now = Date.now();
    let schedule: Schedule<M>;
    if (typeof when === "number") {
      if (!Number.isFinite(when) || when < 0) {
        throw new AlarmsError(`Invalid delay ${when}: give a finite number of seconds, 0 or more (e.g. 0.25 for 250 ms).`);
      }
      schedule = { id, type: "delayed", time: checkTime(now + Math.round(when * 1000), when), operationChain };
    } else if (when instanceof Date) {
      const time = when.getTime();
      if (Number.isNaN(time)) throw new AlarmsError("Invalid Date given to schedule(): its time is NaN. Check how the Date was built.");
      schedule = { id, type: "scheduled", time, operationChain };
    } else if (typeof when === "string") {
      const time = nextCronTime(parseCron(when), now);
      if (time === undefined) throw new AlarmsError(`The cron expression "${when}" never fires in the next 28 years; check its day and month fields.`);
      schedule = { id, type: "cron", cron: when, time, operationChain };
    } else {
      throw new AlarmsError(`Invalid "when" (${kindOf(when)}): give a delay in seconds, a Date, or a 5-field cron string.`);
    }
    if (options.metadata !== undefined) schedule = { ...schedule, metadata: options.metadata };
    // Serialize before writing, so a value that cannot be stored leaves nothing behind.
    const chain = stringifySync(operationChain);
    const metadata = options.metadata === undefined ? null : stringifySync(options.metadata);
    this.#table.upsert({ id, type: schedule.type, time: schedule.time, cron: schedule.type === "cron" ? schedule.cron : null, chain, metadata });
    this.#arm();
    return schedule;
  }

  /**
   * Atomically removes a schedule and returns it, continuation included.
   * Returns `undefined` (never throws) if the id is unknown, or if the
   * schedule already fired, including while its handler is running: of a
   * cancel and a firing, exactly one wins. A cron schedule can be cancelled
   * while an occurrence runs; that run finishes and no more follow.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  cancelSchedule<M = unknown>(id: string): Schedule<M> | undefined {
    if (typeof id !== "string") return undefined;
    const row = this.#table.cancel(id);
    if (!row) return undefined;
    this.#arm();
    return toSchedule<M>(row);
  }

  /** The schedule with this id, or `undefined` if there is none (or it has fired). */
  getSchedule<M = unknown>(id: string): Schedule<M> | undefined {
    if (typeof id !== "string") return undefined;
    const row = this.#table.get(id);
    // A one-shot being run has fired.
    if (!row || (row.running !== 0 && row.type !== "cron")) return undefined;
    return toSchedule<M>(row);
  }

  /**
   * The schedules waiting to fire, in time order, optionally of one `type`
   * and with `time` in `timeRange` (a `Date` or epoch milliseconds, both
   * ends included).
   *
   * @throws {AlarmsError} for a range end that is not a valid time.
   */
  getSchedules<M = unknown>(criteria: ScheduleCriteria = {}): Schedule<M>[] {
    const start = timeOf(criteria.timeRange?.start, -MAX_TIME, "start");
    const end = timeOf(criteria.timeRange?.end, MAX_TIME, "end");
    const rows = this.#table.list(start, end);
    return rows.filter((row) => criteria.type === undefined || row.type === criteria.type).map((row) => toSchedule<M>(row));
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
   * continuation runs at most once and is never retried (a throw is logged).
   * One row, written synchronously; the deadline rides this object's alarm.
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
        `The continuation given to expect() ${operationChain ? "has no result placeholder" : `is not an operation chain (got ${kindOf(continuation)})`}: build it with this.ctn() and put a placeholder where the outcome goes, e.g. this.ctn().onPaid(placeholder<Receipt | Error>()).`,
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
    // The platform alarm that woke us is spent.
    this.#armed = undefined;
    try {
      const now = Date.now();
      await this.#runEach(this.#due(now), now);
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
   * outcomes (`type: "outcome"`).
   *
   * @throws {AlarmsError} for a `count` that is not a whole number, 0 or more.
   */
  async triggerAlarms(count?: number): Promise<Fired[]> {
    if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
      throw new AlarmsError(`Invalid count ${count} for triggerAlarms(): give a whole number, 0 or more, or leave it out to run what is due.`);
    }
    try {
      const now = Date.now();
      return await (count === undefined ? this.#runEach(this.#due(now), now) : this.#runEach(this.#first(count), MAX_TIME));
    } finally {
      this.#arm();
    }
  }

  /**
   * Runs the rows in order, one at a time. The list is a snapshot: a row
   * cancelled, settled, fired elsewhere or moved later since is skipped by
   * its claim, and rows created meanwhile wait for the next alarm (so a
   * handler that schedules itself with delay 0 cannot loop forever here).
   * Past the invocation's time budget the rest wait too.
   */
  async #runEach(items: readonly Item[], notAfter: number): Promise<Fired[]> {
    const ran: Fired[] = [];
    const started = Date.now();
    for (const { kind, id } of items) {
      if (Date.now() - started >= INVOCATION_BUDGET_MS) break;
      const fired = kind === "schedule" ? await this.#runSchedule(id, notAfter) : await this.#expire(id, notAfter);
      if (fired) ran.push(fired);
    }
    return ran;
  }

  async #runSchedule(id: string, notAfter: number): Promise<Schedule | undefined> {
    const token = ++this.#lastClaim;
    const row = this.#table.claim(id, token, notAfter);
    return row ? this.#runOne(row, token) : undefined;
  }

  /** The deadline's claim: the continuation runs once, with a TimeoutError, never retried. */
  async #expire(id: string, notAfter: number): Promise<ExpiredOutcome | undefined> {
    const row = this.#outcomes.expire(id, notAfter);
    if (!row) return undefined;
    const operationChain = await this.#outcomes.run(row, new TimeoutError(row.message), this.#handlerTimeout);
    return operationChain && { type: "outcome", id: row.id, time: row.time, operationChain };
  }

  /** Everything due by `now`, schedules and pending outcomes, in time order. */
  #due(now: number): Item[] {
    return merge(this.#table.due(now), this.#outcomes.due(now));
  }

  /** The first `count` schedules and pending outcomes, due or not, in time order. */
  #first(count: number): Item[] {
    return merge(this.#table.first(count), this.#outcomes.first(count)).slice(0, count);
  }

  async #runOne(row: AlarmRow, token: number): Promise<Schedule | undefined> {
    let schedule: Schedule;
    try {
      schedule = toSchedule(row);
    } catch (error) {
      console.error(`[lumenize] alarms: schedule "${row.id}" could not be read back and was dropped.`, error);
      this.#table.finish(row.id, token);
      return undefined;
    }
    if (row.attempts >= MAX_ATTEMPTS) {
      // Only crashes count up to here: the instance died in this handler every time.
      this.#drop(row, token, schedule, new AlarmsError(`Schedule "${row.id}" was running each of the ${row.attempts} times its Durable Object crashed.`));
      return undefined;
    }
    const timeout = this.#handlerTimeout;
    const end = await within(executeOperationChain(schedule.operationChain, this.#host, { result: schedule }), timeout, (lateEnd) => {
      console.warn(
        `[lumenize] alarms: schedule "${row.id}" (${describeChain(schedule.operationChain)}) ${lateEnd.kind === "done" ? "finished" : "threw"} after its ${timeout} ms deadline; its run had already been counted as failed.`,
      );
    });
    if (end.kind !== "done") {
      // A late handler's eventual end is only logged: the claim token it held is no longer the row's.
      const error = end.kind === "threw" ? end.error : new TimeoutError(`The handler did not finish within ${timeout} ms (handlerTimeout).`);
      this.#failed(row, token, schedule, error);
      return schedule;
    }
    if (row.type === "cron") {
      this.#nextOccurrence(row, token);
    } else {
      this.#table.finish(row.id, token);
    }
    return schedule;
  }

  #failed(row: AlarmRow, token: number, schedule: Schedule, error: unknown): void {
    const attempts = row.attempts + 1;
    if (attempts >= MAX_ATTEMPTS) {
      this.#drop(row, token, schedule, error);
      return;
    }
    const wait = RETRY_BASE_DELAY_MS * 2 ** (attempts - 1);
    console.warn(
      `[lumenize] alarms: schedule "${row.id}" (${describeChain(schedule.operationChain)}) threw on attempt ${attempts} of ${MAX_ATTEMPTS}; retrying in ${wait} ms. ${(error as Error)?.message ?? error}`,
    );
    this.#table.rearm(row.id, token, Date.now() + wait, attempts);
  }

  /** Gives up on a run: logs why; a one-shot is deleted, a cron moves on to its next occurrence. */
  #drop(row: AlarmRow, token: number, schedule: Schedule, error: unknown): void {
    console.error(
      `[lumenize] alarms: schedule "${row.id}" (${describeChain(schedule.operationChain)}) failed ${MAX_ATTEMPTS} times and was dropped${row.type === "cron" ? " until its next occurrence" : ""}.`,
      error,
    );
    if (row.type === "cron") this.#nextOccurrence(row, token);
    else this.#table.finish(row.id, token);
  }

  #nextOccurrence(row: AlarmRow, token: number): void {
    // After the occurrence just run, even when it ran early (triggerAlarms).
    const next = nextCronTime(parseCron(row.cron ?? ""), Math.max(Date.now(), row.time));
    if (next === undefined) this.#table.finish(row.id, token);
    else this.#table.rearm(row.id, token, next, 0);
  }

  // ---------------------------------------------------------------------------
  // The platform alarm
  // ---------------------------------------------------------------------------

  /**
   * Sets the platform alarm to the earliest time of all waiting rows
   * (schedules and pending outcomes), overdue ones included, floored at now
   * + 1 ms and capped at the latest time the platform takes; deletes it when
   * no rows remain. Never filters on `time > now`: that would strand overdue
   * rows.
   */
  #arm(): void {
    const next = this.#nextTime();
    if (next === undefined) {
      // Rows being run re-arm when their run ends.
      if (this.#armed !== null && !this.#table.anyRunning()) this.#setPlatformAlarm(null);
      return;
    }
    const now = Date.now();
    const at = Math.min(Math.max(next, now + 1), LATEST_PLATFORM_ALARM);
    const armed = this.#armed;
    // Already set to fire by then: for an overdue row, any alarm not later than `at` will do.
    if (armed === at || (typeof armed === "number" && next <= now && armed <= at)) return;
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

/** A row to run: a schedule or a pending outcome's deadline. */
interface Item {
  readonly kind: "schedule" | "outcome";
  readonly id: string;
  readonly time: number;
}

/** Two lists in time order (ties: schedules first, then by id), merged into one. */
function merge(schedules: readonly Due[], outcomes: readonly Due[]): Item[] {
  const items: Item[] = [];
  let i = 0;
  let j = 0;
  while (i < schedules.length || j < outcomes.length) {
    if (j >= outcomes.length || (i < schedules.length && schedules[i].time <= outcomes[j].time)) items.push({ kind: "schedule", ...schedules[i++] });
    else items.push({ kind: "outcome", ...outcomes[j++] });
  }
  return items;
}

function toSchedule<M>(row: AlarmRow): Schedule<M> {
  const base = {
    id: row.id,
    time: row.time,
    operationChain: parse(row.chain) as OperationChain,
    ...(row.metadata === null ? {} : { metadata: parse(row.metadata) as M }),
  };
  const kind = row.type as Schedule["type"];
  switch (kind) {
    case "delayed":
    case "scheduled":
      return { ...base, type: kind };
    case "cron":
      return { ...base, type: kind, cron: row.cron ?? "" };
    default:
      kind satisfies never;
      throw new AlarmsError(`Schedule "${row.id}" has unknown type ${JSON.stringify(row.type)}.`);
  }
}

function checkTime(time: number, delay: number): number {
  if (time > MAX_TIME) throw new AlarmsError(`Invalid delay ${delay}: it ends after the last time a Date can hold.`);
  return time;
}

function timeOf(value: TimeInput | undefined, fallback: number, end: string): number {
  if (value === undefined) return fallback;
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== "number" || Number.isNaN(time)) {
    throw new AlarmsError(`Invalid timeRange.${end}: give a valid Date or epoch milliseconds.`);
  }
  return time;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return "a Date";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
