import { LumenizeBase, type Identity } from "lumenize-do";

/**
 * A Durable Object that can tell who it is and who is calling. It learns its
 * binding and name from the first Lumenize call that reaches it.
 */
export class ProfileDO extends LumenizeBase<Env> {
  whoAmI(): Identity {
    return this.lmz.identity;
  }

  /** Inside a method reached by a chain, `this.lmz.caller` is the sender. */
  whoIsCalling(): Identity | undefined {
    return this.lmz.caller;
  }

  /** Asks another profile who it is, so both sides learn each other. */
  introduceTo(other: string): Promise<Identity | undefined> {
    return this.lmz.callRaw("PROFILE", other, this.ctn<ProfileDO>().whoIsCalling());
  }
}
