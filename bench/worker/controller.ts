/**
 * `ExperimentController`: the base Durable Object of every benchmark.
 *
 * The Node client (`bench/harness.mjs`) asks a controller to run one batch:
 * `size` operations of one variant, all fired at once. The controller times
 * the batch from just before the first send to the last completion, and
 * reports how many operations completed, so a lost one shows up as a count,
 * not as a hang.
 *
 * A new experiment is one method on a subclass (below the banner in each
 * `bench/worker/*.ts`) plus one entry in `bench/experiments.mjs`.
 *
 * @see https://lumenize.dev/docs/performance
 */
import { LumenizeBase } from "../../lib";

/** What the Node client asks for. */
export interface BatchRequest {
  /** The experiment method to run, e.g. `"viaCall"`. */
  readonly method: string;
  /** How many operations to fire at once (for CPU loops: iterations). */
  readonly size: number;
  /**
   * How many such batches to run one after another, timed together (default
   * 1): the clock ticks in whole milliseconds, so a batch of a few
   * milliseconds is timed by repeating it, not alone.
   */
  readonly batches?: number;
  /** Anything the method needs, from the experiment's config entry. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** What an experiment method resolves with once every operation settled. */
export interface Outcome {
  /** Operations that finished with their expected result. */
  readonly completed: number;
  /** Operations that finished with an Error. */
  readonly failed?: number;
  /** Durations the method measured itself, in milliseconds (e.g. `schedule`, `fire`). */
  readonly phases?: Readonly<Record<string, number>>;
  /** The first failure's message, to say why a batch did not complete. */
  readonly firstError?: string;
}

/** What the controller sends back to the client. */
export interface BatchResult {
  /** Operations in all the batches: `size` × `batches`. */
  readonly size: number;
  readonly completed: number;
  readonly failed: number;
  /** Wall clock from just before the first send to the last completion, in milliseconds. */
  readonly elapsedMs: number;
  /** Each phase's mean over the batches. */
  readonly phases: Readonly<Record<string, number>>;
  readonly firstError?: string;
}

/** An experiment method: fires `size` operations at once, resolves when all have settled (returns, if it runs them synchronously). */
export type ExperimentMethod = (size: number, params: Readonly<Record<string, unknown>>) => Outcome | Promise<Outcome>;

/** How long a batch may take before it is reported with what completed so far. */
const BATCH_TIMEOUT_MS = 60_000;

/**
 * Counts the completions of one batch whose results arrive through
 * continuations (call, alarms): `done` resolves when all `size` have arrived,
 * or at the deadline with what has.
 */
export class Batch {
  readonly id = crypto.randomUUID();
  completed = 0;
  failed = 0;
  /** When the first operation arrived (epoch ms), if one has. */
  firstAt: number | undefined;
  firstError: string | undefined;
  readonly done: Promise<Outcome>;
  #resolve!: (outcome: Outcome) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly size: number) {
    this.done = new Promise<Outcome>((resolve) => (this.#resolve = resolve));
    this.#timer = setTimeout(() => this.#finish(), BATCH_TIMEOUT_MS);
    if (size === 0) this.#finish();
  }

  /** Counts one arrival; an Error counts as failed. */
  arrive(result: unknown): void {
    this.firstAt ??= Date.now();
    if (result instanceof Error) {
      this.failed++;
      this.firstError ??= `${result.name}: ${result.message}`;
    } else {
      this.completed++;
    }
    if (this.completed + this.failed === this.size) this.#finish();
  }

  #finish(): void {
    clearTimeout(this.#timer);
    this.#resolve({ completed: this.completed, failed: this.failed, ...(this.firstError ? { firstError: this.firstError } : {}) });
  }
}

export abstract class ExperimentController<Env = unknown> extends LumenizeBase<Env> {
  readonly #batches = new Map<string, Batch>();

  /** Runs `request.batches` batches of `request.method`, one after another, and times them together. */
  async runBatch(request: BatchRequest): Promise<BatchResult> {
    const method = this.#experiment(request.method);
    if (!(Number.isInteger(request.size) && request.size >= 0)) {
      throw new RangeError(`Invalid batch size ${request.size}: give a whole number, 0 or more.`);
    }
    const batches = request.batches ?? 1;
    if (!(Number.isInteger(batches) && batches >= 1)) throw new RangeError(`Invalid batches ${batches}: give a whole number, 1 or more.`);
    // Local workerd's clock runs during CPU work too. Deployed, Date.now() is
    // frozen between I/O, so only batches that end on awaited I/O (RPC, an
    // alarm) would time right there; pure CPU loops would read 0.
    let completed = 0;
    let failed = 0;
    let firstError: string | undefined;
    const phases: Record<string, number> = {};
    const started = Date.now();
    for (let batch = 0; batch < batches; batch++) {
      const outcome = await method.call(this, request.size, request.params ?? {});
      completed += outcome.completed;
      failed += outcome.failed ?? 0;
      firstError ??= outcome.firstError;
      for (const [name, ms] of Object.entries(outcome.phases ?? {})) phases[name] = (phases[name] ?? 0) + ms / batches;
    }
    const elapsedMs = Date.now() - started;
    return { size: request.size * batches, completed, failed, elapsedMs, phases, ...(firstError ? { firstError } : {}) };
  }

  /** Opens a batch whose operations report back through {@link arrived}. */
  protected openBatch(size: number): Batch {
    const batch = new Batch(size);
    this.#batches.set(batch.id, batch);
    // Safe to drop: `done` only ever resolves (at the last arrival or the batch timeout).
    void batch.done.then(() => this.#batches.delete(batch.id));
    return batch;
  }

  /** The continuation of every operation in a batch: counts `result` (an Error counts as failed). */
  arrived(result: unknown, batchId: string): void {
    this.#batches.get(batchId)?.arrive(result);
  }

  /** Only methods a subclass declares are experiments: nothing inherited, nothing private-looking. */
  #experiment(name: string): ExperimentMethod {
    for (let proto = Object.getPrototypeOf(this); proto && proto !== ExperimentController.prototype; proto = Object.getPrototypeOf(proto)) {
      if (Object.prototype.hasOwnProperty.call(proto, name) && !name.startsWith("_") && typeof proto[name] === "function") {
        return proto[name] as ExperimentMethod;
      }
    }
    throw new TypeError(`${this.constructor.name} has no experiment method "${name}". Check the method names in bench/experiments.mjs.`);
  }
}
