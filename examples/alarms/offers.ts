import { $schedule, LumenizeBase, type Schedule } from "lumenize-do";

/** What the offer's schedule carries. */
export interface Offer {
  offerId: string;
  price: number;
}

/** How each offer ended, and the follow-ups sent after an expiry, oldest first. */
export type OfferEntry =
  | { kind: "offer"; offerId: string; price: number; outcome: "accepted" | "declined" | "expired" }
  | { kind: "follow-up"; offerId: string };

/** An offer that is accepted, declined or expires: exactly one of the three. */
export class OffersDO extends LumenizeBase<Env> {
  /** Expires in `seconds` unless it is accepted or declined first. */
  makeOffer(offerId: string, price: number, seconds: number): void {
    const offer: Offer = { offerId, price };
    this.lmz.alarms.schedule(seconds, this.ctn().expireOffer($schedule), { id: `offer:${offerId}`, metadata: offer });
  }

  acceptOffer(offerId: string): "accepted" | "too late" {
    // Cancel first, act second: only the one who gets the schedule back may act.
    const offer = this.lmz.alarms.cancelSchedule<Offer>(`offer:${offerId}`);
    if (!offer?.metadata) return "too late";
    this.#log({ kind: "offer", ...offer.metadata, outcome: "accepted" });
    return "accepted";
  }

  declineOffer(offerId: string): "declined" | "too late" {
    const offer = this.lmz.alarms.cancelSchedule<Offer>(`offer:${offerId}`);
    if (!offer?.metadata) return "too late";
    this.#log({ kind: "offer", ...offer.metadata, outcome: "declined" });
    return "declined";
  }

  /** The alarm's turn: it runs only if nobody cancelled first, and once it runs, nobody can. */
  expireOffer(schedule: Schedule<Offer>): void {
    const { offerId, price } = schedule.metadata!;
    this.#log({ kind: "offer", offerId, price, outcome: "expired" });
    // Scheduled from inside a handler: it fires later, like any other.
    this.lmz.alarms.schedule(60, this.ctn().followUp(offerId), { id: `follow-up:${offerId}` });
  }

  followUp(offerId: string): void {
    this.#log({ kind: "follow-up", offerId });
  }

  log(): OfferEntry[] {
    return this.ctx.storage.kv.get<OfferEntry[]>("log") ?? [];
  }

  #log(entry: OfferEntry): void {
    this.ctx.storage.kv.put("log", [...this.log(), entry]);
  }
}
