/**
 * `rpcSize` against the platform's own count. Workers RPC refuses a message
 * over 32 MiB and says how big it was; these values are just over, so the
 * platform reports their exact size and the estimate can be compared.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rpcSize } from "../../lib/envelope";

const LIMIT = 32 * 1024 * 1024;

/** The size Workers RPC reports for `value` sent as the one argument of a call. */
async function platformSize(value: unknown): Promise<number> {
  const sent: Promise<unknown> = env.PROBE.getByName("rpc-size").echo(value);
  const error = await sent.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  const reported = /the size of this value was: (\d+) bytes/.exec(String(error));
  if (!reported) throw new Error(`expected the platform to refuse the value, got ${String(error)}`);
  return Number(reported[1]);
}

const long = "y".repeat(100);

describe("rpcSize counts what Workers RPC sends", () => {
  const exact: [string, () => unknown][] = [
    ["an ASCII string", () => "x".repeat(LIMIT)],
    ["a Latin-1 string", () => "é".repeat(LIMIT)],
    ["a two-byte string", () => "€".repeat(LIMIT / 2)],
    ["strings, nulls and booleans", () => Array.from({ length: 320_000 }, () => [long, null, true, false])],
  ];
  for (const [what, make] of exact) {
    it(`exactly, for ${what}`, async () => {
      const value = make();
      expect(rpcSize([value])).toBe(await platformSize(value));
    });
  }

  it("within 2%, for strings mixed with small integers and doubles", async () => {
    // Whether V8 holds an integer as a small integer or as a double depends on the code that made it,
    // and on whether that code was optimized yet: the same array measured 0.1% to 0.9% off across runs.
    const value = Array.from({ length: 300_000 }, (_, i) => [long, 1, 2.5, i, -i * 1e6]);
    const platform = await platformSize(value);
    expect(Math.abs(rpcSize([value]) - platform) / platform).toBeLessThan(0.02);
  });

  it("a little high, never low, for objects and for arrays of numbers alone", async () => {
    const values = [
      Array.from({ length: 310_000 }, () => ({ a: long })),
      Array.from({ length: 300_000 }, () => [long, {}]),
      Array.from({ length: 300_000 }, (_, i) => [long, [1, 2, 3, i]]),
      Array.from({ length: 300_000 }, (_, i) => [long, [1, 2.5, 3, i]]),
    ];
    for (const value of values) {
      const platform = await platformSize(value);
      expect(rpcSize([value])).toBeGreaterThanOrEqual(platform);
      expect(rpcSize([value])).toBeLessThan(platform * 1.25);
    }
  });
});
