// Types of bench/experiments.mjs, for the smoke test (test/bench/smoke.test.ts).

/** One batch configuration of an experiment. */
export interface ExperimentCase {
  readonly label: string;
  /** Operations fired at once (iterations, for CPU loops). */
  readonly size: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** The variants this case runs, if not all of them. */
  readonly variants?: readonly string[];
  readonly baseline?: string;
  readonly repeats?: number;
}

/** An entry of the registry (see the comment at the top of experiments.mjs). */
export interface Experiment {
  readonly id: string;
  readonly title: string;
  readonly question: string;
  /** "peers": runs on the peers Worker (bench/peers), which the test pool does not have. */
  readonly worker?: "peers";
  readonly binding: string;
  readonly variants: Readonly<Record<string, string>>;
  readonly baseline?: string;
  readonly requires?: readonly string[];
  readonly skip?: string;
}

export declare const experiments: readonly Experiment[];
export declare function casesOf(experiment: Experiment, quick: boolean): ExperimentCase[];
