/**
 * Issue 13, the scale test: 1,000 concurrent durable calls fanned out over
 * 100 remote Durable Objects, with the caller aborted (a crash) halfway
 * through. Every continuation records itself durably, and each of the
 * 1,000 runs exactly once, with its own result: the remotes deliver again
 * until the restarted caller takes the outcome.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProbeDO } from "../fixtures/probe";
import { CLEAN, storedState } from "../harness";
import { muteLogs } from "../logs";
import { waitForAtLeast } from "../wait";
import { freshProbe, inProbe, sleep } from "../harness";

muteLogs();

const CALLS = 1_000;
const REMOTES = 100;

describe("durable call under load", () => {
  it("runs each of 1,000 concurrent durable calls over 100 remotes exactly once, with the caller aborted halfway through", async () => {
    const caller = freshProbe("durable-scale").name;
    const remotes = Array.from({ length: REMOTES }, (_, i) => `${caller}-remote-${i}`);
    const log = () => env.PROBE.getByName(caller).durableDeliveries();
    await inProbe(env.PROBE.getByName(caller), (probe) => {
      for (let i = 0; i < CALLS; i++) {
        // Spread over 1.5 s, so the abort lands with about half the calls home.
        const remote = probe.ctn<ProbeDO>().sleepSquare(i, (i * 37) % 1_500);
        probe.lmz.call("PROBE", remotes[i % REMOTES], remote, probe.ctn().recordDurably(remote, String(i)), { durable: true, timeout: 60_000 });
      }
    });
    const before = (await waitForAtLeast(log, CALLS / 2, "continuations", 30_000)).length;
    await runInDurableObject(env.PROBE.getByName(caller), (_probe: ProbeDO, state) => state.abort("injected fault halfway through")).catch(() => undefined);

    const lines = await waitForAtLeast(log, CALLS, "continuations", 60_000);
    await sleep(500); // a repeat would show up here
    const final = await log();
    expect(final).toEqual(lines);
    expect(final).toHaveLength(CALLS);
    const seen = new Set<number>();
    for (const line of final) {
      const [tag, result] = line.split(": ");
      const i = Number(tag);
      expect(seen.has(i), `call ${i} ran twice`).toBe(false);
      seen.add(i);
      expect(result).toBe(String(i * i));
    }
    const state = await storedState(env.PROBE.getByName(caller));
    expect(state).toMatchObject(CLEAN);
    console.info(`[durable scale] ${CALLS} calls over ${REMOTES} remotes: caller aborted with ${before} home, all ${CALLS} ran once with their result.`);
  });
});
