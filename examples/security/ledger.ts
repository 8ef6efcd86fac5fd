import { LumenizeBase, type Identity, type IncomingCall } from "lumenize-do";

/** The members other hosts may enter through a chain; everything else stays internal. */
const OPEN_TO_CHAINS = new Set(["balance", "deposit"]);

/**
 * A ledger that decides, before any chain runs, whether to let it in:
 * `onBeforeCall` sees every member the chain enters and who the envelope
 * says sent it, and throws to refuse.
 */
export class LedgerDO extends LumenizeBase<Env> {
  protected override onBeforeCall({ members, caller }: IncomingCall): void {
    const closed = members.filter((member) => !OPEN_TO_CHAINS.has(member));
    if (closed.length > 0) throw new Error(`${closed.join(", ")} cannot be called through a chain`);
    if (members.includes("deposit") && !this.#isTeller(caller)) throw new Error("only a TELLER deposits");
  }

  /**
   * Whether the caller claims an id of the TELLER namespace (an id carries
   * its namespace, so `idFromString` refuses any other). Claimed, not
   * proven: this keeps honest mistakes out, not a hostile holder of the
   * LEDGER binding, who can copy a teller's id into the envelope.
   */
  #isTeller(caller: Identity | undefined): boolean {
    try {
      this.env.TELLER.idFromString(caller?.id ?? "");
      return caller?.kind === "durable-object";
    } catch {
      return false;
    }
  }

  balance(): number {
    return this.ctx.storage.kv.get<number>("balance") ?? 0;
  }

  deposit(amount: number): number {
    const balance = this.balance() + amount;
    this.ctx.storage.kv.put("balance", balance);
    return balance;
  }

  /** Public for the Worker's admin route (plain RPC), closed to chains by the hook. */
  reset(): void {
    this.ctx.storage.kv.delete("balance");
  }
}

/** A teller calls the ledger through chains, and reports what came back. */
export class TellerDO extends LumenizeBase<Env> {
  async deposit(ledger: string, amount: number): Promise<number> {
    return this.lmz.callRaw("LEDGER", ledger, this.ctn<LedgerDO>().deposit(amount));
  }

  /** Tries a member the ledger keeps closed; resolves with the refusal. */
  async tryReset(ledger: string): Promise<string> {
    try {
      await this.lmz.callRaw("LEDGER", ledger, this.ctn<LedgerDO>().reset());
      return "reset";
    } catch (error) {
      return (error as Error).message;
    }
  }
}
