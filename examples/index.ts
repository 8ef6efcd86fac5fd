/**
 * The examples Worker: what `npm start` serves under `wrangler dev`, and what
 * the tests run. Each docs page imports its code from a file beside this one.
 *
 * `GET /` lists every route (./routes.ts), so a new user can click through them.
 */
import { indexPage } from "./index-page";
import { BadInput, decodeParams } from "./input";
import { routes, sections } from "./routes";

export { ProfileDO } from "./base-classes/profile";
export { GreeterWorker } from "./base-classes/greeter";
export { CounterDO } from "./call/counter";
export { UserDO } from "./call/user";
export { ImpatientUserDO } from "./call/deadline";
export { CheckoutDO } from "./call/checkout";
export { WalletDO } from "./call/wallet";
export { RemindersDO } from "./alarms/reminders";
export { DigestDO } from "./alarms/digest";
export { OffersDO } from "./alarms/offers";
export { ApprovalsDO } from "./alarms/approvals";
export { StandupDO } from "./alarms/standup";
export { ActivityDO } from "./alarms/activity";
export { MonitorDO } from "./alarms/monitor";
export { WeatherDO } from "./proxy-fetch/weather";
export { LedgerDO, TellerDO } from "./security/ledger";
// #region proxy-fetch-classes
// proxy-fetch's own classes: bound as FETCH_ORCHESTRATOR and FETCH_EXECUTOR in wrangler.jsonc.
export { FetchExecutor, FetchOrchestrator } from "lumenize-do";
// #endregion proxy-fetch-classes

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/") return indexPage(request, sections);
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      try {
        return await route.handle(request, env, decodeParams(match.groups ?? {}));
      } catch (error) {
        if (error instanceof BadInput) return Response.json(error.body, { status: 400 });
        throw error;
      }
    }
    return new Response(`No example at ${url.pathname}. See ${url.origin}/ for the list.`, { status: 404 });
  },
} satisfies ExportedHandler<Env>;
