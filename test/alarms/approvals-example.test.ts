/**
 * Runs the code of examples/alarms/approvals.ts, which the "Alarms" page
 * shows: a pending outcome settled from elsewhere (an approval link) or
 * answered by its deadline, exactly once either way. The page shows region
 * "approvals", written as a user would (env, cloudflare:test, vitest).
 */
// #region approvals
import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ApprovalsDO } from "../../examples/alarms/approvals";

describe("an expense waiting for approval", () => {
  it("is approved once by the link's holder; a second approval and a wrong token change nothing", async () => {
    const approvals = env.APPROVALS.getByName("approve-once");
    const filed = await approvals.submitExpense("e1", 42, 48);
    if (filed === "already filed") throw new Error("a fresh object has no expense e1");
    expect(await approvals.approve("e1", "not-the-token", "Mallory")).toBe(false);
    expect(await approvals.approve("e1", filed.token, "Grace")).toBe(true);
    expect(await approvals.approve("e1", filed.token, "Grace")).toBe(false);
    expect(await approvals.log()).toEqual([{ expenseId: "e1", amount: 42, outcome: "approved by Grace" }]);
  });

  it("is rejected at its deadline, and an approval after that comes too late", async () => {
    const approvals = env.APPROVALS.getByName("approve-late");
    const filed = await approvals.submitExpense("e2", 99, 48);
    if (filed === "already filed") throw new Error("a fresh object has no expense e2");
    // As if the 48 hours had passed: fire the object's next due alarm work now.
    await runInDurableObject(approvals, (instance: ApprovalsDO) => instance.lmz.alarms.triggerAlarms(1));
    expect(await approvals.approve("e2", filed.token, "Grace")).toBe(false);
    expect(await approvals.log()).toEqual([{ expenseId: "e2", amount: 99, outcome: "rejected: nobody approved it within 48 h" }]);
  });
});
// #endregion approvals

describe("the approvals example", () => {
  it("files an expense only once, pending or decided", async () => {
    const approvals = env.APPROVALS.getByName("approve-twice");
    const filed = await approvals.submitExpense("e3", 10, 1);
    expect(filed).toMatchObject({ token: expect.any(String), deadline: expect.any(Number) });
    expect(await approvals.submitExpense("e3", 10, 1)).toBe("already filed");
    if (filed === "already filed") return;
    expect(await approvals.approve("e3", filed.token, "Grace")).toBe(true);
    expect(await approvals.submitExpense("e3", 10, 1)).toBe("already filed");
  });

  it("runs the approval or the deadline, never both, when they race", async () => {
    const approvals = env.APPROVALS.getByName("approve-race");
    const filed = await approvals.submitExpense("e4", 5, 48);
    if (filed === "already filed") throw new Error("a fresh object has no expense e4");
    const [approved] = await Promise.all([
      approvals.approve("e4", filed.token, "Grace"),
      runInDurableObject(approvals, (instance: ApprovalsDO) => instance.lmz.alarms.triggerAlarms(1)),
    ]);
    const log = await approvals.log();
    expect(log).toHaveLength(1);
    expect(log[0].outcome).toBe(approved ? "approved by Grace" : "rejected: nobody approved it within 48 h");
    expect(await runInDurableObject(approvals, (instance: ApprovalsDO) => instance.lmz.alarms.getPendingOutcomes())).toEqual([]);
  });

  it("answers over HTTP with an approval link that works once, and a 400 for a bad amount", async () => {
    const app = exports.default as unknown as { fetch(url: string): Promise<Response> };
    const base = "http://example.test/alarms/approve-http";
    const filed = (await (await app.fetch(`${base}/expense/e5?amount=12.5&hours=2`)).json()) as { filed: boolean; approve: string };
    expect(filed.filed).toBe(true);
    expect(filed.approve).toMatch(/^\/alarms\/approve-http\/expense\/e5\/approve\?token=[^&]+&by=Grace$/);
    expect(await (await app.fetch(`http://example.test${filed.approve}`)).json()).toEqual({ approved: true });
    expect(await (await app.fetch(`http://example.test${filed.approve}`)).json()).toMatchObject({ approved: false, expenses: [{ expenseId: "e5", amount: 12.5, outcome: "approved by Grace" }] });
    const bad = await app.fetch(`${base}/expense/e6?amount=abc`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'amount="abc" is not a number: give a number from 0.01 to 1000000 (an amount).', param: "amount", value: "abc" });
  });
});
