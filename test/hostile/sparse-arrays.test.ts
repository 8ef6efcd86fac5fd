/**
 * Every door that takes an array from elsewhere walks it only as far as what
 * was sent. A sparse array is a few bytes on the wire whatever its `length`,
 * and the built-in `map`, `forEach` and `every` visit every index up to
 * `length`: one claiming 2³² − 1 elements held an object's CPU for over a
 * minute (longer than the platform lets a request run), so anyone holding a
 * binding could keep resetting it. Each door refuses such an array at once.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../lib";
import { acceptEach } from "../../lib/proxy-fetch/execute";
import { fresh, freshProbe, inProbe, outcomeOf } from "../harness";
import { freshOrchestrator } from "../proxy-fetch/harness";
import { muteLogs } from "../logs";

muteLogs();

/** An array of the largest length holding `last` at its last index only. */
function sparse(last: unknown): unknown[] {
  const array: unknown[] = [];
  array[2 ** 32 - 2] = last;
  return array;
}

/** What `work` threw, or undefined. */
function thrownBy(work: () => unknown): unknown {
  try {
    work();
    return undefined;
  } catch (error) {
    return error;
  }
}

// Generous: the refusal takes microseconds; before the doors checked, each took over a minute.
const REFUSED_WITHIN = 20_000;

describe("a sparse array claiming 2³² − 1 elements is refused at once", () => {
  it(
    "__settleAll answers it with no settlements",
    async () => {
      const { stub } = fresh("GUARDED", "sparse-settle-all");
      expect(await stub.__settleAll(sparse({ id: "x", token: "y", outcome: await outcomeOf(1) }) as never)).toEqual([]);
    },
    REFUSED_WITHIN,
  );

  it(
    "__acceptChains refuses it with an InvalidInputError",
    async () => {
      const { stub } = freshProbe("sparse-accept");
      const thrown = await inProbe(stub, (probe) => thrownBy(() => probe.__acceptChains(sparse(null) as never)));
      expect(thrown).toBeInstanceOf(InvalidInputError);
      expect((thrown as Error).message).toMatch(/with no holes/);
    },
    REFUSED_WITHIN,
  );

  it(
    "the orchestrator's __enqueue refuses it with an InvalidInputError",
    async () => {
      const { stub } = freshOrchestrator("sparse-enqueue");
      const thrown = await runInDurableObject(stub, (orchestrator) => thrownBy(() => orchestrator.__enqueue(sparse(null) as never)));
      expect(thrown).toBeInstanceOf(InvalidInputError);
      expect((thrown as Error).message).toMatch(/with no holes/);
    },
    REFUSED_WITHIN,
  );

  it(
    "the executors' executeFetches refuses it (both executors hand their jobs to acceptEach)",
    () => {
      // Called here rather than over RPC: a door that throws over RPC is reported by the test pool as unhandled.
      expect(() => acceptEach(sparse(null), () => undefined)).toThrow(InvalidInputError);
      expect(() => acceptEach(sparse(null), () => undefined)).toThrow(/with no holes/);
    },
    REFUSED_WITHIN,
  );
});
