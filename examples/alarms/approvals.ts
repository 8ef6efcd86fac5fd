import { LumenizeBase, placeholder } from "lumenize-do";

/** What the approval link's holder sends back. */
export interface Approval {
  approvedBy: string;
}

/** An expense, and how it ended. */
export interface ExpenseEntry {
  expenseId: string;
  amount: number;
  outcome: string;
}

/**
 * An expense waits for a manager's approval, which arrives from elsewhere (the link in an email),
 * or is rejected at its deadline: exactly one of the two, once.
 */
export class ApprovalsDO extends LumenizeBase<Env> {
  /** Files an expense. The token goes into the approval link: only its holder can approve. */
  submitExpense(expenseId: string, amount: number, hours: number): { token: string; deadline: number } | "already filed" {
    if (this.ctx.storage.kv.get(`expense:${expenseId}`)) return "already filed";
    const approval = placeholder<Approval | Error>();
    const { token, deadline } = this.lmz.alarms.expect(this.ctn().decide(expenseId, amount, approval), {
      id: `expense:${expenseId}`,
      deadline: Date.now() + hours * 3_600_000,
      timeoutMessage: `nobody approved it within ${hours} h`,
    });
    this.#record({ expenseId, amount, outcome: "waiting for approval" });
    return { token, deadline };
  }

  /** What the approval link calls: `true` if this approval decided the expense, `false` if it came too late or with a wrong token. */
  approve(expenseId: string, token: string, manager: string): Promise<boolean> {
    return this.lmz.alarms.settle(`expense:${expenseId}`, token, { approvedBy: manager } satisfies Approval);
  }

  /** Runs once: with the approval, or with a TimeoutError at the deadline. */
  decide(expenseId: string, amount: number, approval: Approval | Error): void {
    const outcome = approval instanceof Error ? `rejected: ${approval.message}` : `approved by ${approval.approvedBy}`;
    this.#record({ expenseId, amount, outcome });
  }

  /** Every expense filed, and how it ended (or that it still waits). */
  log(): ExpenseEntry[] {
    return [...this.ctx.storage.kv.list<ExpenseEntry>({ prefix: "expense:" })].map(([, entry]) => entry);
  }

  #record(entry: ExpenseEntry): void {
    this.ctx.storage.kv.put(`expense:${entry.expenseId}`, entry);
  }
}
