/**
 * The examples' HTTP routes: `GET /` lists them all. Each example folder adds
 * its own entries below.
 */
// #region orchestrator-stats
import { orchestratorStats } from "lumenize-do";
// #endregion orchestrator-stats
import { weatherApi } from "./proxy-fetch/api";
import { roundTripDemo } from "./structured-clone/round-trip";

export interface Route {
  /** Matched against the URL path; named groups become `params`. */
  readonly pattern: RegExp;
  /** A path a user can open as is, shown on the index page. */
  readonly example: string;
  readonly description: string;
  handle(request: Request, env: Env, params: Record<string, string>): Promise<Response> | Response;
}

export const routes: Route[] = [
  // --- structured-clone -------------------------------------------------------
  {
    pattern: /^\/structured-clone\/round-trip$/,
    example: "/structured-clone/round-trip",
    description: "A Map of Dates, bytes, a cycle and a custom Error through stringify/parse",
    handle: () => roundTripDemo(),
  },
  // --- Base classes -----------------------------------------------------------
  {
    pattern: /^\/base\/profile\/(?<name>[\w-]+)\/meet\/(?<other>[\w-]+)$/,
    example: "/base/profile/ada/meet/grace",
    description: "ProfileDO ada calls grace; both report who they are",
    async handle(_request, env, { name, other }) {
      const caller = await env.PROFILE.getByName(name).introduceTo(other);
      return Response.json({ calleeSawCaller: caller, callee: await env.PROFILE.getByName(other).whoAmI() });
    },
  },
  {
    pattern: /^\/base\/greet\/(?<language>\w+)\/(?<name>[\w-]+)$/,
    example: "/base/greet/fr/Ada",
    description: "GreeterWorker (service binding) hands out a Greeting RpcTarget",
    async handle(_request, env, { language, name }) {
      using greeting = await env.GREETER.makeGreeting(language);
      return new Response(await greeting.say(name));
    },
  },
  // --- call -------------------------------------------------------------------
  {
    pattern: /^\/call\/user\/(?<name>[\w-]+)\/visit$/,
    example: "/call/user/ada/visit",
    description: "UserDO counts a visit on CounterDO with this.lmz.call (returns the call id at once)",
    async handle(_request, env, { name }) {
      const callId = await env.USER.getByName(name).recordVisit();
      return Response.json({ callId, next: `/call/user/${name}/log` });
    },
  },
  {
    pattern: /^\/call\/user\/(?<name>[\w-]+)\/log$/,
    example: "/call/user/ada/log",
    description: "What UserDO's continuation recorded for its last call",
    async handle(_request, env, { name }) {
      return Response.json(await env.USER.getByName(name).lastVisit());
    },
  },
  // --- alarms -----------------------------------------------------------------
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/remind$/,
    example: "/alarms/ada/remind?in=5&text=tea",
    description: "RemindersDO schedules a reminder (in seconds); see it fire on /list",
    async handle(request, env, { name }) {
      const query = new URL(request.url).searchParams;
      const seconds = Number(query.get("in") ?? 5);
      const text = query.get("text") ?? "tea";
      try {
        const id = await env.REMINDERS.getByName(name).remind(text, seconds);
        return Response.json({ id, cancel: `/alarms/${name}/cancel/${id}`, list: `/alarms/${name}/list` });
      } catch (error) {
        // An AlarmsError (say, ?in=-1) says what to fix.
        return Response.json({ error: (error as Error).message }, { status: 400 });
      }
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/cancel\/(?<id>[\w:-]+)$/,
    example: "/alarms/ada/cancel/<id>",
    description: "Cancels a reminder: true if it was still pending",
    async handle(_request, env, { name, id }) {
      return Response.json({ cancelled: await env.REMINDERS.getByName(name).cancelReminder(id) });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/list$/,
    example: "/alarms/ada/list",
    description: "RemindersDO's pending reminders and those that fired",
    async handle(_request, env, { name }) {
      const reminders = env.REMINDERS.getByName(name);
      return Response.json({ pending: await reminders.pending(), log: await reminders.log() });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/digest$/,
    example: "/alarms/ada/digest",
    description: "DigestDO starts its daily digest (cron 0 8 * * *, UTC); safe to repeat",
    async handle(_request, env, { name }) {
      return Response.json({ nextDigest: await env.DIGEST.getByName(name).startDailyDigest() });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/offer\/(?<offerId>[\w-]+)$/,
    example: "/alarms/ada/offer/o1?price=10&expires=30",
    description: "OffersDO makes an offer that expires unless accepted or declined first",
    async handle(request, env, { name, offerId }) {
      const query = new URL(request.url).searchParams;
      await env.OFFERS.getByName(name).makeOffer(offerId, Number(query.get("price") ?? 10), Number(query.get("expires") ?? 30));
      return Response.json({ accept: `/alarms/${name}/offer/${offerId}/accept`, decline: `/alarms/${name}/offer/${offerId}/decline` });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/offer\/(?<offerId>[\w-]+)\/(?<answer>accept|decline)$/,
    example: "/alarms/ada/offer/o1/accept",
    description: "Accepts (or declines) the offer: whoever cancels the schedule first wins",
    async handle(_request, env, { name, offerId, answer }) {
      const offers = env.OFFERS.getByName(name);
      const outcome = answer === "accept" ? await offers.acceptOffer(offerId) : await offers.declineOffer(offerId);
      return Response.json({ outcome });
    },
  },
  // --- proxy-fetch --------------------------------------------------------------
  {
    pattern: /^\/proxy-fetch\/api\//,
    example: "/proxy-fetch/api/forecast/Paris?delay=500",
    description: "The stand-in weather API the WeatherDO routes fetch (?delay=<ms>, ?status=<code>)",
    handle: (request) => weatherApi(request),
  },
  {
    pattern: /^\/proxy-fetch\/(?<name>[\w-]+)\/forecast\/(?<city>[\w-]+)$/,
    example: "/proxy-fetch/ada/forecast/Paris?delay=500",
    description: "WeatherDO fetches a forecast through proxyFetch (?strategy=simple: proxyFetchSimple; ?timeout=300&delay=1000: a TimeoutError); returns the request id at once",
    async handle(request, env, { name, city }) {
      const query = new URL(request.url).searchParams;
      // The stand-in API above, served by this same Worker; `delay` and `status` pass through.
      const api = new URL(`/proxy-fetch/api/forecast/${city}`, request.url);
      for (const knob of ["delay", "status"]) if (query.has(knob)) api.searchParams.set(knob, query.get(knob)!);
      const weather = env.WEATHER.getByName(name);
      try {
        const timeout = query.get("timeout");
        const simple = query.get("strategy") === "simple";
        const requestId =
          timeout !== null
            ? await weather.forecastWithin(city, api.href, Number(timeout), simple)
            : simple
              ? await weather.forecastSimple(city, api.href)
              : await weather.forecast(city, api.href);
        return Response.json({ requestId, reports: `/proxy-fetch/${name}/reports` });
      } catch (error) {
        // A ProxyFetchError at the call site (say, ?timeout=0) says what to fix.
        return Response.json({ error: (error as Error).message }, { status: 400 });
      }
    },
  },
  {
    pattern: /^\/proxy-fetch\/(?<name>[\w-]+)\/reports$/,
    example: "/proxy-fetch/ada/reports",
    description: "What WeatherDO's continuation received: Responses and Errors",
    async handle(_request, env, { name }) {
      return Response.json(await env.WEATHER.getByName(name).reports());
    },
  },
  {
    pattern: /^\/proxy-fetch\/orchestrator\/stats$/,
    example: "/proxy-fetch/orchestrator/stats",
    description: "FetchOrchestrator's queue, summed over its shards: pending, in flight, delivered, timed out, failed",
    handle: (_request, env) => orchestratorQueue(env),
  },
  // --- security ---------------------------------------------------------------
  {
    pattern: /^\/security\/teller\/(?<name>[\w-]+)\/deposit\/(?<amount>\d+)$/,
    example: "/security/teller/ada/deposit/5",
    description: "TellerDO deposits on LedgerDO through a chain; the ledger's onBeforeCall lets it in",
    async handle(_request, env, { name, amount }) {
      return Response.json({ balance: await env.TELLER.getByName(name).deposit("main", Number(amount)) });
    },
  },
  {
    pattern: /^\/security\/teller\/(?<name>[\w-]+)\/reset$/,
    example: "/security/teller/ada/reset",
    description: "TellerDO tries reset() through a chain; the ledger's onBeforeCall refuses it",
    async handle(_request, env, { name }) {
      return Response.json({ refused: await env.TELLER.getByName(name).tryReset("main") });
    },
  },
];

// #region orchestrator-stats
/** The orchestrator's queue: every shard `proxyFetch` uses with the default options (16), summed. */
async function orchestratorQueue(env: Env): Promise<Response> {
  return Response.json(await orchestratorStats(env.FETCH_ORCHESTRATOR));
}
// #endregion orchestrator-stats
