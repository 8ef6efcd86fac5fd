/**
 * Alarm peers: n one-shot tasks due now in one Durable Object, scheduled and
 * fired with Lumenize's alarms, `@cloudflare/actors`' Alarms and the Agents
 * SDK's `schedule()`. Each batch gets a fresh object, which times itself and
 * counts how often each task ran; the controller turns that into a batch.
 *
 * `@cloudflare/actors` keeps times in whole seconds and arms the platform
 * alarm only for a time after the current second, so a task due now (delay
 * 0) never runs: it is scheduled 1 s ahead. The firing cost compared is from
 * the first task that runs to the last, which the delay does not change.
 */
import { Alarms } from "@cloudflare/actors/alarms";
import { Agent } from "agents";
import { DurableObject } from "cloudflare:workers";
import { LumenizeBase } from "../../../lib";
import { ExperimentController, type Outcome } from "../../worker/controller";
import type { PeersEnv } from "./env";

/** What one run measured (milliseconds), and how often each task ran. */
export interface FiringReport {
  /** Scheduling all the tasks. */
  readonly schedule: number;
  /** From the last schedule to the first task running (the platform alarm's latency, plus any delay). */
  readonly firstHandler: number;
  /** From the first task running to the last. */
  readonly fire: number;
  /** Tasks that ran exactly once. */
  readonly once: number;
  /** Runs beyond the first, of any task. */
  readonly extra: number;
}

/** How long a run may wait for its tasks before it reports what ran. */
const DEADLINE_MS = 120_000;
/** How long to keep counting after the last task, for a task that runs twice to show up. */
const SETTLE_MS = 300;

/** Counts the runs of tasks 0 to size - 1. */
class Tally {
  readonly #runs: Uint32Array;
  #distinct = 0;
  #extra = 0;
  #firstAt: number | undefined;
  #lastAt: number | undefined;
  #resolve!: () => void;
  readonly #all = new Promise<void>((resolve) => (this.#resolve = resolve));

  constructor(readonly size: number) {
    this.#runs = new Uint32Array(size);
    if (size === 0) this.#resolve();
  }

  ran(task: number): void {
    if (this.#runs[task]++ > 0) {
      this.#extra++;
      return;
    }
    const now = Date.now();
    this.#firstAt ??= now;
    if (++this.#distinct === this.size) {
      this.#lastAt = now;
      this.#resolve();
    }
  }

  /** Waits for every task (or the deadline), then a little longer, and reports. */
  async report(started: number, scheduled: number): Promise<FiringReport> {
    await Promise.race([this.#all, scheduler.wait(DEADLINE_MS)]);
    await scheduler.wait(SETTLE_MS);
    const once = this.#runs.reduce((count, runs) => count + (runs === 1 ? 1 : 0), 0);
    const firstAt = this.#firstAt ?? Date.now();
    return { schedule: scheduled - started, firstHandler: firstAt - scheduled, fire: (this.#lastAt ?? Date.now()) - firstAt, once, extra: this.#extra };
  }
}

/** What the controller calls on each scheduling object. */
interface Scheduler {
  run(size: number, delaySeconds: number): Promise<FiringReport>;
}

/** Lumenize: `this.lmz.alarms.schedule(delay, this.ctn().tick(i))`, synchronous. */
export class OursAlarmsDO extends LumenizeBase<PeersEnv> implements Scheduler {
  #tally = new Tally(0);

  tick(task: number): void {
    this.#tally.ran(task);
  }

  run(size: number, delaySeconds: number): Promise<FiringReport> {
    const tally = (this.#tally = new Tally(size));
    const started = Date.now();
    for (let i = 0; i < size; i++) this.lmz.alarms.schedule(delaySeconds, this.ctn().tick(i));
    return tally.report(started, Date.now());
  }
}

/** `@cloudflare/actors`: `await this.alarms.schedule(delay, "tick", i)`. */
export class ActorsAlarmsDO extends DurableObject<PeersEnv> implements Scheduler {
  readonly alarms = new Alarms(this.ctx, this);
  #tally = new Tally(0);

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    await this.alarms.alarm(info);
  }

  /** Alarms calls this before each task, with the name it was scheduled under. */
  setName(_name: string): void {}

  tick(task: number): void {
    this.#tally.ran(task);
  }

  async run(size: number, delaySeconds: number): Promise<FiringReport> {
    const tally = (this.#tally = new Tally(size));
    const started = Date.now();
    for (let i = 0; i < size; i++) await this.alarms.schedule(delaySeconds, "tick", i);
    return tally.report(started, Date.now());
  }
}

/** The Agents SDK: `await this.schedule(delay, "tick", i)`. */
export class AgentsScheduleDO extends Agent<PeersEnv> implements Scheduler {
  #tally = new Tally(0);

  tick(task: number): void {
    this.#tally.ran(task);
  }

  async run(size: number, delaySeconds: number): Promise<FiringReport> {
    const tally = (this.#tally = new Tally(size));
    const started = Date.now();
    for (let i = 0; i < size; i++) await this.schedule(delaySeconds, "tick", i);
    return tally.report(started, Date.now());
  }
}

// -----------------------------------------------------------------------------
// Experiment methods
// -----------------------------------------------------------------------------

export class PeerAlarmsBenchDO extends ExperimentController<PeersEnv> {
  ours(size: number): Promise<Outcome> {
    return runOn(this.env.OURS_ALARMS, size, 0);
  }

  actors(size: number): Promise<Outcome> {
    return runOn(this.env.ACTORS_ALARMS, size, 1);
  }

  agents(size: number): Promise<Outcome> {
    return runOn(this.env.AGENTS_SCHEDULE, size, 0);
  }
}

/** One run on a fresh object of `namespace`, as a batch outcome. */
async function runOn<T extends Scheduler & Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>, size: number, delaySeconds: number): Promise<Outcome> {
  // A fresh object per batch: no tasks left over from the last one.
  const stub = namespace.getByName(crypto.randomUUID());
  const report = await stub.run(size, delaySeconds);
  const { schedule, firstHandler, fire, once, extra } = report;
  return {
    completed: once,
    failed: size - once,
    phases: { schedule, firstHandler, fire },
    ...(once < size ? { firstError: `${size - once} of ${size} tasks did not run exactly once (${extra} extra runs)` } : {}),
  };
}
