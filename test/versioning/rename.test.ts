/**
 * Issue 16 (redeploy and versioning): a schedule stored before a method was
 * renamed runs after the deploy through a forwarding alias, and without one
 * fails with an OperationChainError naming the method, retried, then
 * dropped. Runs the two versions of examples/versioning/ that the "Redeploy
 * and versioning" page shows.
 *
 * A test cannot swap the class behind one Durable Object, so it does what a
 * deploy leaves behind instead: the object's storage, written by the old
 * class, read by an instance of the new one.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LumenizeBase } from "../../lib";
import type { InvoiceDO as After } from "../../examples/versioning/after/invoices";
import type { ProbeDO } from "../fixtures/probe";
import { muteLogs } from "../logs";

const logs = muteLogs();
let counter = 0;

/** Lumenize's tables (schema and rows) of `from`, copied into `to`, whose next instance then starts on them. */
async function redeploy(from: DurableObjectStub<LumenizeBase>, to: DurableObjectStub<LumenizeBase>): Promise<void> {
  const tables = await runInDurableObject(from, (_host: LumenizeBase, state) =>
    state.storage.sql
      .exec<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE name LIKE '\\_\\_lmz\\_%' ESCAPE '\\' ORDER BY type DESC`)
      .toArray()
      .map(({ name, sql }) => ({ sql, rows: sql.startsWith("CREATE TABLE") ? state.storage.sql.exec(`SELECT * FROM ${name}`).toArray() : [], name })),
  );
  await runInDurableObject(to, (_host: LumenizeBase, state) => {
    for (const { name, sql, rows } of tables) {
      state.storage.sql.exec(sql);
      for (const row of rows) {
        const columns = Object.keys(row);
        state.storage.sql.exec(`INSERT INTO ${name} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, ...Object.values(row));
      }
    }
  });
  await evictDurableObject(to);
}

describe("a method renamed between two deploys", () => {
  it("still runs a schedule stored before the rename, through the forwarding alias", async () => {
    const name = `invoices-${counter++}`;
    await env.INVOICE_BEFORE.getByName(name).issue("inv-7", 3_600);
    const after = env.INVOICE_AFTER.getByName(name);
    await redeploy(env.INVOICE_BEFORE.getByName(name), after);

    expect(await runInDurableObject(after, (invoices: After) => invoices.schedulesNamingOldMethods())).toEqual(["due:inv-7"]);
    await runInDurableObject(after, (invoices: After) => invoices.lmz.alarms.triggerAlarms(1));
    expect(await after.reminded("inv-7")).toBe("reminded once");
    expect(await runInDurableObject(after, (invoices: After) => invoices.schedulesNamingOldMethods())).toEqual([]);
  });

  it("stores the new name for schedules made after the deploy", async () => {
    const after = env.INVOICE_AFTER.getByName(`invoices-${counter++}`);
    await after.issue("inv-8", 3_600);
    expect(await runInDurableObject(after, (invoices: After) => invoices.schedulesNamingOldMethods())).toEqual([]);
    await runInDurableObject(after, (invoices: After) => invoices.lmz.alarms.triggerAlarms(1));
    expect(await after.reminded("inv-8")).toBe("reminded once");
  });

  it("without the alias, fails the schedule with an OperationChainError naming the method, and retries it", async () => {
    const name = `invoices-${counter++}`;
    await env.INVOICE_BEFORE.getByName(name).issue("inv-9", 3_600);
    // Any class without `sendReminder` will do: a ProbeDO.
    const probe = env.PROBE.getByName(name);
    await redeploy(env.INVOICE_BEFORE.getByName(name), probe);

    const ran = await runInDurableObject(probe, (host: ProbeDO) => host.lmz.alarms.triggerAlarms(1));
    expect(ran.map(({ id }) => id)).toEqual(["due:inv-9"]);
    expect(logs.warnings.mock.calls.flat().join(" ")).toMatch(
      /schedule "due:inv-9" \(sendReminder\(…\)\) threw on attempt 1 of 5; retrying in 1000 ms\. Operation chain failed at step 0 \(sendReminder\): the target has no member "sendReminder"/,
    );
    const waiting = await runInDurableObject(probe, (host: ProbeDO) => host.lmz.alarms.cancelSchedule("due:inv-9"));
    expect(waiting?.id).toBe("due:inv-9");
  });
});
