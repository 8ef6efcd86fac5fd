/**
 * The examples' HTTP routes: `GET /` lists them all. Each example folder adds
 * its own entries below.
 */
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
    description: "RemindersDO's pending reminders and what has fired so far",
    async handle(_request, env, { name }) {
      const reminders = env.REMINDERS.getByName(name);
      return Response.json({ pending: await reminders.pending(), log: await reminders.log() });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/digest$/,
    example: "/alarms/ada/digest",
    description: "Starts the daily digest (cron 0 8 * * *, UTC); safe to repeat",
    async handle(_request, env, { name }) {
      return Response.json({ nextDigest: await env.REMINDERS.getByName(name).startDailyDigest() });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/offer\/(?<offerId>[\w-]+)$/,
    example: "/alarms/ada/offer/o1?price=10&expires=30",
    description: "Makes an offer that expires unless accepted or declined first",
    async handle(request, env, { name, offerId }) {
      const query = new URL(request.url).searchParams;
      await env.REMINDERS.getByName(name).makeOffer(offerId, Number(query.get("price") ?? 10), Number(query.get("expires") ?? 30));
      return Response.json({ accept: `/alarms/${name}/offer/${offerId}/accept`, decline: `/alarms/${name}/offer/${offerId}/decline` });
    },
  },
  {
    pattern: /^\/alarms\/(?<name>[\w-]+)\/offer\/(?<offerId>[\w-]+)\/(?<answer>accept|decline)$/,
    example: "/alarms/ada/offer/o1/accept",
    description: "Accepts (or declines) the offer: whoever cancels the schedule first wins",
    async handle(_request, env, { name, offerId, answer }) {
      const reminders = env.REMINDERS.getByName(name);
      const outcome = answer === "accept" ? await reminders.acceptOffer(offerId) : await reminders.declineOffer(offerId);
      return Response.json({ outcome });
    },
  },
];
