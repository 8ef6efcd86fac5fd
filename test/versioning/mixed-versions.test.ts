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
import { postprocess, preprocessSync, type Intermediate } from "../../lib/structured-clone";
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
  it("answers a chain envelope of an older version in the form that version reads, with an InvalidInputError, and runs nothing", async () => {
    const stub = probe();
    // Versions 1 and 2 sent objects ({ v: 1, chain, ... } and { v: 2, text }) and read back { ok, value | error }.
    for (const [version, envelope] of [
      [1, { v: 1, chain: { v: 2, json: [{ type: "get", key: "deliveries" }] } }],
      [2, { v: 2, text: JSON.stringify({ v: 2, json: { chain: [{ type: "get", key: "deliveries" }] } }) }],
    ] as const) {
      const reply = (await stub.__executeChain(envelope as never)) as unknown as { ok: boolean; error: Intermediate };
      expect(reply.ok).toBe(false);
      const error = postprocess(reply.error) as Error;
      expect([error.name, error.message]).toEqual([
        "InvalidInputError",
        `Chain envelope version ${version} is not one this build reads (it reads 3): the sender runs another Lumenize version. Use the same Lumenize version on both sides; nothing ran.`,
      ]);
    }
    expect(await runInDurableObject(stub, (host: ProbeDO) => host.deliveries())).toEqual([]);
  });

  it("answers a chain envelope of a newer version with an InvalidInputError naming both versions", async () => {
    const error = await refusalOf(probe().__executeChain("4:whatever a later version writes" as never));
    expect([error.name, error.message]).toEqual([
      "InvalidInputError",
      "Chain envelope version 4 is not one this build reads (it reads 3): the sender runs another Lumenize version. Use the same Lumenize version on both sides; nothing ran.",
    ]);
  });

  it("reads an older version's reply as an InvalidInputError saying the versions differ", () => {
    // What a version-2 door answers a version-3 envelope with.
    const reply = { ok: false, error: preprocessSync(new Error("Malformed chain envelope: expected { v: 2, text }.")) };
    expect(() => openOutcome(reply)).toThrow(/^Malformed outcome: this build reads version 3's, a string starting with "=" or "!", and this is an object, as versions 1 and 2 sent: the sender runs another Lumenize version/);
  });

  it("answers a chain in a structured-clone format it does not read with a DataCloneError naming both versions", async () => {
    const stub = probe();
    const error = await refusalOf(stub.__executeChain(`3:${JSON.stringify({ v: 3, json: { chain: [{ type: "get", key: "deliveries" }] } })}`));
    expect(error.name).toBe("DataCloneError");
    expect(error.message).toMatch(/version 3 is not one this build reads \(it reads 2\); use the same Lumenize version on both sides/);
  });

  it("hands a delivered outcome it cannot read to the continuation as an Error naming the versions, once", async () => {
    const stub = probe();
    const expect_ = () =>
      runInDurableObject(stub, (host: ProbeDO) => host.lmz.alarms.expect(host.ctn().record(placeholder<unknown>(), "late"), { deadline: Date.now() + 60_000 }));
    // A newer structured-clone format inside this version's outcome, and an older version's outcome (an object).
    const newer = await expect_();
    expect(await stub.__settle(newer.id, newer.token, `={"v":3,"json":"a newer executor's Response"}`)).toBe(true);
    const older = await expect_();
    expect(await stub.__settle(older.id, older.token, { ok: true, value: { v: 2, json: "an older executor's Response" } } as never)).toBe(true);
    expect(await stub.__settle(older.id, older.token, { ok: true, value: { v: 2, json: "again" } } as never)).toBe(false);
    const [fromNewer, fromOlder] = (await runInDurableObject(stub, (host: ProbeDO) => host.deliveries())).map((delivery) => delivery.result as Error);
    expect([fromNewer.name, fromOlder.name]).toEqual(["DataCloneError", "InvalidInputError"]);
    expect(fromNewer.message).toMatch(/version 3 is not one this build reads/);
    expect(fromOlder.message).toMatch(/an object, as versions 1 and 2 sent: the sender runs another Lumenize version/);
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
