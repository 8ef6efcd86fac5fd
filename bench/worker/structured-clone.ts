/**
 * Experiment 4: structured-clone's `stringify` + `parse` against the
 * platform's `structuredClone` (rich data) and `JSON.stringify`/`JSON.parse`
 * (JSON-safe data), on a small and a large realistic payload.
 *
 * These are CPU loops with no I/O: timed in local workerd, whose clock runs
 * during CPU work (a deployed Durable Object's would not).
 */
import { parse, stringify, stringifySync } from "../../lib";
import { ExperimentController, type Outcome } from "./controller";
import type { BenchEnv } from "./env";

export type PayloadName = "small" | "large" | "small-json" | "large-json";

type Params = Readonly<Record<string, unknown>>;

/** A user profile: nested objects, a Date, a Set, a Map and a typed array. */
function profile(i: number): Record<string, unknown> {
  return {
    id: `user-${i}`,
    name: `User ${i}`,
    email: `user${i}@example.com`,
    createdAt: new Date(Date.UTC(2025, 0, 1 + (i % 365))),
    roles: new Set(["reader", i % 3 === 0 ? "editor" : "viewer"]),
    preferences: new Map<string, unknown>([
      ["theme", i % 2 ? "dark" : "light"],
      ["notifications", { email: true, push: i % 5 === 0 }],
    ]),
    avatarHash: new Uint8Array(32).map((_, j) => (i * 31 + j) & 0xff),
    address: { street: `${i} Main St`, city: "Springfield", zip: String(10_000 + i) },
  };
}

/** An order history: 500 orders of 1-5 lines, with Dates, Maps and Float64Arrays. */
function orders(): Record<string, unknown> {
  return {
    customer: profile(0),
    orders: Array.from({ length: 500 }, (_, i) => ({
      id: `order-${i}`,
      placedAt: new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
      lines: Array.from({ length: 1 + (i % 5) }, (_, j) => ({ sku: `sku-${(i * 7 + j) % 100}`, quantity: 1 + j, price: 9.99 + j })),
      totals: new Float64Array([i * 1.5, i * 0.2, i * 1.7]),
      status: new Map([["current", i % 4 ? "shipped" : "pending"]]),
    })),
  };
}

/** The same shapes with only JSON types: ISO strings, plain objects and arrays. */
function jsonSafe(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, jsonSafe(v)]));
  if (value instanceof Set) return [...value].map(jsonSafe);
  if (ArrayBuffer.isView(value)) return Array.from(value as Uint8Array);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

const PAYLOADS: Record<PayloadName, () => unknown> = {
  small: () => profile(1),
  large: () => orders(),
  "small-json": () => jsonSafe(profile(1)),
  "large-json": () => jsonSafe(orders()),
};

export class CloneBenchDO extends ExperimentController<BenchEnv> {
  readonly #payloads = new Map<PayloadName, unknown>();

  /** The payload `params.payload` names, built once per object. */
  protected payload(params: Params): unknown {
    const name = params.payload as PayloadName;
    if (!(name in PAYLOADS)) throw new TypeError(`Unknown payload "${name}": use one of ${Object.keys(PAYLOADS).join(", ")}.`);
    if (!this.#payloads.has(name)) this.#payloads.set(name, PAYLOADS[name]());
    return this.#payloads.get(name);
  }

  /** Payload sizes as `JSON.stringify(stringify output)` characters, for the report. */
  async sizes(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of Object.keys(PAYLOADS) as PayloadName[]) out[name] = (await stringify(this.payload({ payload: name }))).length;
    return out;
  }

  /** `size` round trips of the payload through a synchronous `roundTrip`, one after another. */
  protected roundTrips(size: number, params: Params, roundTrip: (value: unknown) => unknown): Outcome {
    const value = this.payload(params);
    let last: unknown;
    for (let i = 0; i < size; i++) last = roundTrip(value);
    return { completed: last === undefined ? 0 : size };
  }

  // ---------------------------------------------------------------------------
  // Experiment methods
  // ---------------------------------------------------------------------------

  /** Lumenize structured-clone: `await stringify(value)` then `parse(text)`, as a caller would. */
  async viaStringify(size: number, params: Params): Promise<Outcome> {
    const value = this.payload(params);
    let last: unknown;
    for (let i = 0; i < size; i++) last = parse(await stringify(value));
    return { completed: last === undefined ? 0 : size };
  }

  /** `stringifySync(value)` then `parse(text)`: the same, without the promise (what alarms and proxy-fetch use). */
  viaStringifySync(size: number, params: Params): Outcome {
    return this.roundTrips(size, params, (value) => parse(stringifySync(value)));
  }

  /** The platform's `structuredClone` (in memory: it yields no string to store or send). */
  viaStructuredClone(size: number, params: Params): Outcome {
    return this.roundTrips(size, params, (value) => structuredClone(value));
  }

  /** `JSON.stringify` then `JSON.parse` (JSON-safe payloads only). */
  viaJson(size: number, params: Params): Outcome {
    return this.roundTrips(size, params, (value) => JSON.parse(JSON.stringify(value)));
  }
}
