import { LumenizeBase } from "lumenize-do";
import type { CounterDO } from "./counter";

/** What the Worker shows of a visitor. */
export interface Visitor {
  /** The site-wide number of their latest visit, once the counter has answered. */
  visit?: number;
  /** False once they have been quiet for `QUIET_SECONDS`. */
  here: boolean;
}

/** Seconds without a visit before a visitor is signed out. */
export const QUIET_SECONDS = 60;

/** One per visitor: counts each visit on the shared counter, and signs out after a quiet minute. */
export class VisitorDO extends LumenizeBase<Env> {
  /** Returns at once: the visit's number arrives later, in `counted`. */
  arrive(): void {
    const count = this.ctn<CounterDO>().count();
    this.lmz.call("COUNTER", "site", count, this.ctn().counted(count));
    this.ctx.storage.kv.put("here", true);
    // The same id replaces the earlier schedule, so each visit restarts the clock.
    this.lmz.alarms.schedule(QUIET_SECONDS, this.ctn().signOut(), { id: "sign-out" });
  }

  /** The counter's answer, or the Error that kept it from coming. */
  counted(visit: number | Error): void {
    if (visit instanceof Error) console.error(`The visit was not counted: ${visit.message}`);
    else this.ctx.storage.kv.put("visit", visit);
  }

  signOut(): void {
    this.ctx.storage.kv.put("here", false);
  }

  visitor(): Visitor {
    return { visit: this.ctx.storage.kv.get<number>("visit"), here: this.ctx.storage.kv.get<boolean>("here") ?? false };
  }
}
