/**
 * The examples' HTTP routes, one section per docs page: `GET /` lists them all.
 *
 * Every value a user types is read here (./input.ts) before any Durable Object
 * sees it: a bad one answers 400 with a JSON error quoting it. Path segments
 * match anything but "/", so `/security/teller/ada/deposit/abc` is a bad amount
 * (400), not an unknown page (404).
 */
// #region orchestrator-stats
import { orchestratorStats } from "lumenize-do";
// #endregion orchestrator-stats
import type { RemindersDO } from "./alarms/reminders";
import { LANGUAGES } from "./base-classes/greeter";
import { choiceParam, numberParam, parseChoice, parseNumber, textParam, type NumberRule } from "./input";
import { apiKnobs, weatherApi } from "./proxy-fetch/api";
import { roundTripDemo } from "./structured-clone/round-trip";

export interface Route {
  /** Matched against the URL path; named groups, percent-decoded, become `params`. */
  readonly pattern: RegExp;
  /** A path a user can open as is, shown (and linked) on the index page. */
  readonly example: string;
  readonly description: string;
  /** @throws BadInput for a value the user typed wrong: the Worker answers 400. */
  handle(request: Request, env: Env, params: Record<string, string>): Promise<Response> | Response;
}

/** A group of routes and the docs page (path on the docs site) that explains them. */
export interface Section {
  readonly title: string;
  readonly docs: string;
  readonly routes: readonly Route[];
}

// What the examples accept. Narrower than what the library takes: a reminder
// within a day, an answer within a minute, reads better in a demo.
const REMINDER_DELAY: NumberRule = { min: 0, max: 86_400, what: "seconds" };
const OFFER_EXPIRY: NumberRule = { min: 1, max: 86_400, what: "seconds" };
const PRICE: NumberRule = { min: 0.01, max: 1_000_000, what: "a price" };
const TIMEOUT: NumberRule = { min: 1, max: 60_000, what: "milliseconds", integer: true };
const APPROVAL_WINDOW: NumberRule = { min: 0.001, max: 168, what: "hours" };
const AMOUNT: NumberRule = { min: 0.01, max: 1_000_000, what: "an amount" };
const DEPOSIT: NumberRule = { min: 1, max: 1_000_000, what: "an amount", integer: true };
const STRATEGIES = ["orchestrated", "simple"] as const;

export const sections: readonly Section[] = [
  {
    title: "structured-clone",
    docs: "/docs/foundations/structured-clone",
    routes: [
      {
        pattern: /^\/structured-clone\/round-trip$/,
        example: "/structured-clone/round-trip",
        description: "A Map of Dates, bytes, a cycle and a custom Error through stringify/parse",
        handle: () => roundTripDemo(),
      },
    ],
  },
  {
    title: "Base classes",
    docs: "/docs/foundations/base-classes",
    routes: [
      {
        pattern: /^\/base\/profile\/(?<name>[^/]+)\/meet\/(?<other>[^/]+)$/,
        example: "/base/profile/ada/meet/grace",
        description: "ProfileDO ada calls grace; both report who they are",
        async handle(_request, env, { name, other }) {
          const caller = await env.PROFILE.getByName(name).introduceTo(other);
          return Response.json({ calleeSawCaller: caller, callee: await env.PROFILE.getByName(other).whoAmI() });
        },
      },
      {
        pattern: /^\/base\/greet\/(?<language>[^/]+)\/(?<name>[^/]+)$/,
        example: "/base/greet/fr/Ada",
        description: `GreeterWorker (service binding) hands out a Greeting RpcTarget; languages ${LANGUAGES.join(", ")}`,
        async handle(_request, env, { language, name }) {
          using greeting = await env.GREETER.makeGreeting(parseChoice("language", language, LANGUAGES));
          return new Response(await greeting.say(name));
        },
      },
    ],
  },
  {
    title: "call",
    docs: "/docs/capabilities/call",
    routes: [
      {
        pattern: /^\/call\/user\/(?<name>[^/]+)\/visit$/,
        example: "/call/user/ada/visit",
        description: "UserDO counts a visit on CounterDO with this.lmz.call (returns the call id at once)",
        async handle(_request, env, { name }) {
          const callId = await env.USER.getByName(name).recordVisit();
          return Response.json({ callId, next: `/call/user/${encodeURIComponent(name)}/log` });
        },
      },
      {
        pattern: /^\/call\/user\/(?<name>[^/]+)\/log$/,
        example: "/call/user/ada/log",
        description: "What UserDO's continuation recorded for its last call",
        async handle(_request, env, { name }) {
          const last = await env.USER.getByName(name).lastVisit();
          // Nothing yet is not an error: say where to start.
          if (last.visits === undefined && last.error === undefined) {
            return Response.json({ note: `No visit recorded for ${name} yet.`, visit: `/call/user/${encodeURIComponent(name)}/visit` });
          }
          return Response.json(last);
        },
      },
    ],
  },
  {
    title: "alarms",
    docs: "/docs/capabilities/alarms",
    routes: [
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/remind$/,
        example: "/alarms/ada/remind?in=5&text=tea",
        description: "RemindersDO schedules a reminder (?in=<seconds>, up to a day); see it fire on /list",
        async handle(request, env, { name }) {
          const query = new URL(request.url).searchParams;
          const seconds = numberParam(query, "in", 5, REMINDER_DELAY);
          const id = await env.REMINDERS.getByName(name).remind(textParam(query, "text", "tea"), seconds);
          return Response.json({ id, cancel: cancelPath(name, id), list: `/alarms/${encodeURIComponent(name)}/list` });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/cancel\/(?<id>[^/]+)$/,
        example: "/alarms/ada/cancel/<id>",
        description: "Cancels a reminder: true if it was still pending; otherwise lists those that are",
        async handle(_request, env, { name, id }) {
          const reminders = env.REMINDERS.getByName(name);
          if (await reminders.cancelReminder(id)) return Response.json({ cancelled: true });
          // An id that fired already, a typo, or the index page's <id> placeholder: show what can be cancelled.
          return Response.json({
            cancelled: false,
            note: `${JSON.stringify(id)} is not a pending reminder of ${name}: cancel one of those pending, or make one first.`,
            pending: await pendingWithLinks(reminders, name),
            remind: `/alarms/${encodeURIComponent(name)}/remind?in=60&text=tea`,
          });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/list$/,
        example: "/alarms/ada/list",
        description: "RemindersDO's pending reminders and those that fired",
        async handle(_request, env, { name }) {
          const reminders = env.REMINDERS.getByName(name);
          return Response.json({ pending: await pendingWithLinks(reminders, name), log: await reminders.log() });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/digest$/,
        example: "/alarms/ada/digest",
        description: "DigestDO starts its daily digest (cron 0 8 * * *, UTC); safe to repeat",
        async handle(_request, env, { name }) {
          return Response.json({ nextDigest: await env.DIGEST.getByName(name).startDailyDigest() });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/offer\/(?<offerId>[^/]+)$/,
        example: "/alarms/ada/offer/o1?price=10&expires=30",
        description: "OffersDO makes an offer that expires (?expires=<seconds>) unless accepted or declined first",
        async handle(request, env, { name, offerId }) {
          const query = new URL(request.url).searchParams;
          const price = numberParam(query, "price", 10, PRICE);
          await env.OFFERS.getByName(name).makeOffer(offerId, price, numberParam(query, "expires", 30, OFFER_EXPIRY));
          const offer = `/alarms/${encodeURIComponent(name)}/offer/${encodeURIComponent(offerId)}`;
          return Response.json({ accept: `${offer}/accept`, decline: `${offer}/decline` });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/offer\/(?<offerId>[^/]+)\/(?<answer>[^/]+)$/,
        example: "/alarms/ada/offer/o1/accept",
        description: "Accepts (or declines) the offer: whoever cancels the schedule first wins",
        async handle(_request, env, { name, offerId, answer }) {
          const offers = env.OFFERS.getByName(name);
          const outcome =
            parseChoice("answer", answer, ["accept", "decline"]) === "accept" ? await offers.acceptOffer(offerId) : await offers.declineOffer(offerId);
          return Response.json({ outcome });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/expense\/(?<expenseId>[^/]+)$/,
        example: "/alarms/ada/expense/e1?amount=42&hours=48",
        description: "ApprovalsDO files an expense that waits for approval (?hours=<window>); returns the approval link with its token",
        async handle(request, env, { name, expenseId }) {
          const query = new URL(request.url).searchParams;
          const amount = numberParam(query, "amount", 42, AMOUNT);
          const filed = await env.APPROVALS.getByName(name).submitExpense(expenseId, amount, numberParam(query, "hours", 48, APPROVAL_WINDOW));
          const expense = `/alarms/${encodeURIComponent(name)}/expense/${encodeURIComponent(expenseId)}`;
          if (filed === "already filed") return Response.json({ filed: false, note: `Expense ${JSON.stringify(expenseId)} was filed already.`, expenses: `/alarms/${encodeURIComponent(name)}/expenses` });
          return Response.json({ filed: true, deadline: new Date(filed.deadline).toISOString(), approve: `${expense}/approve?token=${filed.token}&by=Grace` });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/expense\/(?<expenseId>[^/]+)\/approve$/,
        example: "/alarms/ada/expense/e1/approve?token=<token>&by=Grace",
        description: "Approves the expense with the link's token: it decides only if it comes first, with the right token",
        async handle(request, env, { name, expenseId }) {
          const query = new URL(request.url).searchParams;
          const approvals = env.APPROVALS.getByName(name);
          const approved = await approvals.approve(expenseId, textParam(query, "token", "<token>"), textParam(query, "by", "Grace"));
          if (approved) return Response.json({ approved });
          // A wrong token, an expense decided already (approved, or rejected at its deadline), or the index page's <token>.
          return Response.json({ approved, note: "Not approved: the token is wrong, or the expense was decided already.", expenses: await approvals.log() });
        },
      },
      {
        pattern: /^\/alarms\/(?<name>[^/]+)\/expenses$/,
        example: "/alarms/ada/expenses",
        description: "ApprovalsDO's expenses: waiting, approved or rejected",
        async handle(_request, env, { name }) {
          return Response.json({ expenses: await env.APPROVALS.getByName(name).log() });
        },
      },
    ],
  },
  {
    title: "proxy-fetch",
    docs: "/docs/capabilities/proxy-fetch",
    routes: [
      {
        pattern: /^\/proxy-fetch\/api\/forecast\/(?<city>[^/]+)$/,
        example: "/proxy-fetch/api/forecast/Paris?delay=500",
        description: "The stand-in weather API the WeatherDO routes fetch (?delay=<ms>, ?status=<code>)",
        handle: (request, _env, { city }) => weatherApi(request, city),
      },
      {
        pattern: /^\/proxy-fetch\/(?<name>[^/]+)\/forecast\/(?<city>[^/]+)$/,
        example: "/proxy-fetch/ada/forecast/Paris?delay=500",
        description:
          "WeatherDO fetches a forecast through proxyFetch (?strategy=simple: proxyFetchSimple; ?timeout=300&delay=1000: a TimeoutError); returns the request id at once",
        async handle(request, env, { name, city }) {
          const query = new URL(request.url).searchParams;
          // The stand-in API above, served by this same Worker: check `delay` and `status` here
          // too, or a bad one would only show up later, as the API's 400 among the reports.
          const api = new URL(`/proxy-fetch/api/forecast/${encodeURIComponent(city)}`, request.url);
          for (const [knob, value] of Object.entries(apiKnobs(query))) if (value !== undefined) api.searchParams.set(knob, String(value));
          const weather = env.WEATHER.getByName(name);
          const strategy = choiceParam(query, "strategy", "orchestrated", STRATEGIES);
          const requestId = query.has("timeout")
            ? await weather.forecastWithin(city, api.href, numberParam(query, "timeout", 0, TIMEOUT), strategy === "simple")
            : strategy === "simple"
              ? await weather.forecastSimple(city, api.href)
              : await weather.forecast(city, api.href);
          return Response.json({ requestId, reports: `/proxy-fetch/${encodeURIComponent(name)}/reports` });
        },
      },
      {
        pattern: /^\/proxy-fetch\/(?<name>[^/]+)\/reports$/,
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
    ],
  },
  {
    title: "security",
    docs: "/docs/guides/security",
    routes: [
      {
        pattern: /^\/security\/teller\/(?<name>[^/]+)\/deposit\/(?<amount>[^/]+)$/,
        example: "/security/teller/ada/deposit/5",
        description: "TellerDO deposits on LedgerDO through a chain; the ledger's onBeforeCall lets it in",
        async handle(_request, env, { name, amount }) {
          return Response.json({ balance: await env.TELLER.getByName(name).deposit("main", parseNumber("amount", amount, DEPOSIT)) });
        },
      },
      {
        pattern: /^\/security\/teller\/(?<name>[^/]+)\/reset$/,
        example: "/security/teller/ada/reset",
        description: "TellerDO tries reset() through a chain; the ledger's onBeforeCall refuses it",
        async handle(_request, env, { name }) {
          return Response.json({ refused: await env.TELLER.getByName(name).tryReset("main") });
        },
      },
    ],
  },
];

export const routes: readonly Route[] = sections.flatMap((section) => section.routes);

function cancelPath(name: string, id: string): string {
  return `/alarms/${encodeURIComponent(name)}/cancel/${encodeURIComponent(id)}`;
}

/** The pending reminders, each with the path that cancels it. */
async function pendingWithLinks(reminders: DurableObjectStub<RemindersDO>, name: string) {
  return (await reminders.pending()).map((reminder) => ({ ...reminder, cancel: cancelPath(name, reminder.id) }));
}

// #region orchestrator-stats
/** The orchestrator's queue: every shard `proxyFetch` uses with the default options (16), summed. */
async function orchestratorQueue(env: Env): Promise<Response> {
  return Response.json(await orchestratorStats(env.FETCH_ORCHESTRATOR));
}
// #endregion orchestrator-stats
