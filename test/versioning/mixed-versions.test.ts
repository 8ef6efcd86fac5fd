/**
 * Issue 16 (redeploy and versioning): what a build does with wire formats of
 * another Lumenize version, as both sides of a call meet during a rollout,
 * and with stored rows it cannot read after an upgrade. Each format carries
 * its version; a build reads only its own, and says so where the sender (or
 * the log) sees it. Nothing of another version runs.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { placeholder, type FetchOrchestrator } from "../../lib";
import { openOutcome, type ChainOutcome } from "../../lib/envelope";
import type { ProbeDO } from "../fixtures/probe";
import { muteLogs } from "../logs";

const logs = muteLogs();
let counter = 0;
const probe = () => env.PROBE.getByName(`mixed-${counter++}`);

/** What the door answered, as the Error it carries. */
async function refusalOf(outcome: Promise<unknown>): Promise<Error> {
  try {
    openOutcome((await outcome) as ChainOutcome);
  } catch (error) {
    return error as Error;
  }
  throw new Error("the door ran the chain");
}

describe("a build meeting another Lumenize version", () => {
  it("answers a chain envelope of another version with an InvalidInputError, and runs nothing", async () => {
    const stub = probe();
    // Version 1 (up to this build's predecessor) sent the chain and its meta as objects.
    const error = await refusalOf(stub.__executeChain({ v: 1, chain: { v: 2, json: [{ type: "get", key: "deliveries" }] } } as never));
    expect([error.name, error.message]).toEqual([
      "InvalidInputError",
      "Chain envelope version 1 is not one this build reads (it reads 2): the sender runs another Lumenize version. Use the same Lumenize version on both sides; nothing ran.",
    ]);
  });

  it("answers a chain in a structured-clone format it does not read with a DataCloneError naming both versions", async () => {
    const stub = probe();
    const error = await refusalOf(stub.__executeChain({ v: 2, text: JSON.stringify({ v: 3, json: { chain: [{ type: "get", key: "deliveries" }] } }) }));
    expect(error.name).toBe("DataCloneError");
    expect(error.message).toMatch(/version 3 is not one this build reads \(it reads 2\); use the same Lumenize version on both sides/);
  });

  it("hands a delivered outcome it cannot read to the continuation as a DataCloneError, once", async () => {
    const stub = probe();
    const { id, token } = await runInDurableObject(stub, (host: ProbeDO) =>
      host.lmz.alarms.expect(host.ctn().record(placeholder<unknown>(), "late"), { deadline: Date.now() + 60_000 }),
    );
    expect(await stub.__settle(id, token, { ok: true, value: { v: 3, json: "a newer executor's Response" } } as never)).toBe(true);
    const [delivery] = await runInDurableObject(stub, (host: ProbeDO) => host.deliveries());
    expect((delivery.result as Error).name).toBe("DataCloneError");
    expect((delivery.result as Error).message).toMatch(/version 3 is not one this build reads/);
  });

  it("refuses a proxy-fetch job of another version, at the executor and at the orchestrator", async () => {
    const [refusal] = await env.FETCH_EXECUTOR.executeFetches([{ v: 3, id: "from-another-version" } as never]);
    expect(refusal).toMatch(/^InvalidInputError: Malformed proxy-fetch job: expected \{ v: 2, \.\.\. \}/);
    await runInDurableObject(env.FETCH_ORCHESTRATOR.getByName(`mixed-${counter++}`), (orchestrator: FetchOrchestrator) => {
      expect(() => orchestrator.__enqueue([{ v: 4 } as never])).toThrow(/^Malformed proxy-fetch job/);
    });
  });

  it("drops a stored schedule it cannot read when it comes due, and logs it", async () => {
    const stub = probe();
    await runInDurableObject(stub, (host: ProbeDO) => {
      host.lmz.alarms.schedule(60, host.ctn().record("tea", "reminder"), { id: "written-by-another-version" });
    });
    // As an upgrade to a build that reads another format would find it.
    await runInDurableObject(stub, (_host: ProbeDO, state) => {
      state.storage.sql.exec(`UPDATE __lmz_alarms SET chain = ? WHERE id = ?`, JSON.stringify({ v: 1, json: [] }), "written-by-another-version");
    });
    const ran = await runInDurableObject(stub, (host: ProbeDO) => host.lmz.alarms.triggerAlarms(1));
    expect(ran).toEqual([]);
    expect(logs.errors.mock.calls.flat().join(" ")).toMatch(/schedule "written-by-another-version" could not be read back and was dropped/);
    expect(await runInDurableObject(stub, (host: ProbeDO) => [host.deliveries(), host.lmz.alarms.getSchedules()])).toEqual([[], []]);
  });
});
