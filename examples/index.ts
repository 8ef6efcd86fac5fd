/**
 * The examples Worker: what `npm start` serves under `wrangler dev`, and what
 * the tests run. Each docs page imports its code from a file beside this one.
 *
 * `GET /` lists every route below, so a new user can click through them.
 */
import { routes } from "./routes";

export { ProfileDO } from "./base-classes/profile";
export { GreeterWorker } from "./base-classes/greeter";
export { CounterDO } from "./call/counter";
export { UserDO } from "./call/user";
export { ImpatientUserDO } from "./call/deadline";
export { RemindersDO } from "./alarms/reminders";
export { DigestDO } from "./alarms/digest";
export { OffersDO } from "./alarms/offers";
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
    if (url.pathname === "/") {
      const list = routes.map((route) => `${url.origin}${route.example}  ${route.description}`);
      return new Response(`Lumenize examples:\n\n${list.join("\n")}\n`, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (match) return route.handle(request, env, match.groups ?? {});
    }
    return new Response(`No example at ${url.pathname}. See ${url.origin}/ for the list.`, { status: 404 });
  },
} satisfies ExportedHandler<Env>;
