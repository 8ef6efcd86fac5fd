/**
 * Serializer peers: Lumenize's `stringify` + `parse` against
 * `@ungap/structured-clone` (its JSON form), `devalue` and `superjson`, in
 * the same run and on the same payloads as experiment 4, with the platform's
 * `structuredClone` and JSON as the baselines. `fidelity()` checks what
 * each keeps of the values the Performance page's table lists.
 */
import { parse as ungapParse, stringify as ungapStringify } from "@ungap/structured-clone/json";
import * as devalue from "devalue";
import superjson from "superjson";
import { parse, stringify } from "../../../lib";
import type { Outcome } from "../../worker/controller";
import { CloneBenchDO } from "../../worker/structured-clone";

type Params = Readonly<Record<string, unknown>>;

/** A string round trip, as each library offers it (Lumenize's is awaited). */
type RoundTrip = (value: unknown) => unknown;

/** The serializers compared, by the name the table shows. */
const SERIALIZERS: Readonly<Record<string, RoundTrip>> = {
  structuredClone: (value) => structuredClone(value),
  JSON: (value) => JSON.parse(JSON.stringify(value)),
  Lumenize: async (value) => parse(await stringify(value)),
  "@ungap/structured-clone": (value) => ungapParse(ungapStringify(value)),
  devalue: (value) => devalue.parse(devalue.stringify(value)),
  superjson: (value) => superjson.parse(superjson.stringify(value)),
};

export class PeerCloneBenchDO extends CloneBenchDO {
  viaUngap(size: number, params: Params): Promise<Outcome> {
    return this.roundTrips(size, params, SERIALIZERS["@ungap/structured-clone"]);
  }

  viaDevalue(size: number, params: Params): Promise<Outcome> {
    return this.roundTrips(size, params, SERIALIZERS.devalue);
  }

  viaSuperjson(size: number, params: Params): Promise<Outcome> {
    return this.roundTrips(size, params, SERIALIZERS.superjson);
  }

  /**
   * What each serializer keeps, per kind of value: a cell of the fidelity
   * table, such as "kept", "throws" or what was lost.
   */
  async fidelity(): Promise<Fidelity> {
    const table: Record<string, Record<string, string>> = {};
    for (const probe of PROBES) {
      const row: Record<string, string> = {};
      for (const [name, roundTrip] of Object.entries(SERIALIZERS)) {
        try {
          const lost = await probe.check(await roundTrip(probe.make()));
          row[name] = lost.length === 0 ? "kept" : `loses ${lost.join(", ")}`;
        } catch (error) {
          row[name] = `throws (${(error as Error)?.name ?? "error"})`;
        }
      }
      table[probe.label] = row;
    }
    return { serializers: Object.keys(SERIALIZERS), table };
  }
}

/** Rows (probe labels) of serializer columns. */
export interface Fidelity {
  readonly serializers: readonly string[];
  readonly table: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A kind of value, and what a copy of it lost (nothing: an empty list). */
interface Probe {
  readonly label: string;
  make(): unknown;
  check(copy: unknown): Promise<string[]>;
}

class PaymentError extends Error {
  override name = "PaymentError";
  readonly retryable = true;
}

/** The names of the checks that failed (or threw). */
async function lost(checks: Readonly<Record<string, () => boolean | Promise<boolean>>>): Promise<string[]> {
  const failed: string[] = [];
  for (const [name, kept] of Object.entries(checks)) {
    try {
      if (!(await kept())) failed.push(name);
    } catch {
      failed.push(name);
    }
  }
  return failed;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const PROBES: readonly Probe[] = [
  {
    label: "Map (object keys)",
    make: () => {
      const key = { id: 1 };
      return { key, map: new Map<unknown, unknown>([[key, "object key"], ["b", 2]]) };
    },
    check: (copy: Any) => lost({ "the Map": () => copy.map instanceof Map && copy.map.get("b") === 2, "key identity": () => copy.map.get(copy.key) === "object key" }),
  },
  {
    label: "Set",
    make: () => new Set([1, "two"]),
    check: (copy: Any) => lost({ "the Set": () => copy instanceof Set && copy.has(1) && copy.has("two") }),
  },
  {
    label: "Date",
    make: () => new Date(1735722000000),
    check: (copy: Any) => lost({ "the Date": () => copy instanceof Date && copy.getTime() === 1735722000000 }),
  },
  {
    label: "RegExp (and lastIndex)",
    make: () => Object.assign(/a(b+)/gi, { lastIndex: 3 }),
    check: (copy: Any) => lost({ "the RegExp": () => copy instanceof RegExp && copy.source === "a(b+)" && copy.flags === "gi", lastIndex: () => copy.lastIndex === 3 }),
  },
  {
    label: "BigInt",
    make: () => 2n ** 70n,
    check: (copy) => lost({ "the BigInt": () => copy === 2n ** 70n }),
  },
  {
    label: "typed arrays",
    make: () => [Uint8Array.of(1, 2, 255), Float64Array.of(Math.PI, -0)],
    check: (copy: Any) =>
      lost({
        Uint8Array: () => copy[0] instanceof Uint8Array && copy[0].join() === "1,2,255",
        Float64Array: () => copy[1] instanceof Float64Array && copy[1][0] === Math.PI && Object.is(copy[1][1], -0),
      }),
  },
  {
    label: "shared references",
    make: () => {
      const shared = { n: 1 };
      return { a: shared, b: shared };
    },
    check: (copy: Any) => lost({ identity: () => copy.a === copy.b && copy.a.n === 1 }),
  },
  {
    label: "cycles",
    make: () => {
      const node: Record<string, unknown> = { name: "node" };
      node.self = node;
      return node;
    },
    check: (copy: Any) => lost({ "the cycle": () => copy.self === copy }),
  },
  {
    label: "Error subclass with cause",
    make: () => new PaymentError("card declined", { cause: new RangeError("over limit") }),
    check: (copy: Any) =>
      lost({
        "the Error": () => copy instanceof Error && copy.message === "card declined",
        name: () => copy.name === "PaymentError",
        "extra property": () => copy.retryable === true,
        cause: () => copy.cause instanceof RangeError && copy.cause.message === "over limit",
      }),
  },
  {
    label: "Request",
    make: () => new Request("https://example.test/orders", { method: "POST", headers: { "x-kind": "order" }, body: "{}" }),
    check: (copy: Any) =>
      lost({
        "the Request": () => copy instanceof Request && copy.method === "POST" && copy.url === "https://example.test/orders" && copy.headers.get("x-kind") === "order",
        body: async () => (await copy.text()) === "{}",
      }),
  },
  {
    label: "Response",
    make: () => new Response("teapot", { status: 418, headers: { "x-kind": "pot" } }),
    check: (copy: Any) =>
      lost({
        "the Response": () => copy instanceof Response && copy.status === 418 && copy.headers.get("x-kind") === "pot",
        body: async () => (await copy.text()) === "teapot",
      }),
  },
];
