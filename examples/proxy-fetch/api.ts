/**
 * A stand-in weather API for `npm start`: `wrangler dev` has no internet, so the examples
 * Worker serves this under /proxy-fetch/api and the WeatherDO routes point there. The
 * tests use the test internet (test/fake-internet.ts) instead. Same knobs:
 * `?delay=<ms>` answers late, `?status=<code>` answers with that status.
 */
import { numberParam } from "../input";

/** The knobs found in `query`, checked. @throws BadInput for a value out of range or not a number. */
export function apiKnobs(query: URLSearchParams): { delay?: number; status?: number } {
  return {
    delay: query.has("delay") ? numberParam(query, "delay", 0, { min: 0, max: 60_000, what: "milliseconds", integer: true }) : undefined,
    status: query.has("status") ? numberParam(query, "status", 200, { min: 200, max: 599, what: "an HTTP status", integer: true }) : undefined,
  };
}

/** Answers a forecast for `city`, honouring the knobs. @throws BadInput for a bad knob. */
export async function weatherApi(request: Request, city: string): Promise<Response> {
  const { delay = 0, status = 200 } = apiKnobs(new URL(request.url).searchParams);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (request.method === "POST") {
    return Response.json({ received: await request.json() }, { status: status === 200 ? 201 : status });
  }
  return Response.json({ city, forecast: "sunny", high: 21 }, { status });
}
