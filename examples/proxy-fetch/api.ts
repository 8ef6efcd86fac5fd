/**
 * A stand-in weather API for `npm start`: `wrangler dev` has no internet, so the examples
 * Worker serves this under /proxy-fetch/api and the WeatherDO routes point there. The
 * tests use the test internet (test/fake-internet.ts) instead. Same knobs:
 * `?delay=<ms>` answers late, `?status=<code>` answers with that status.
 */
export async function weatherApi(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const delay = Math.min(Number(url.searchParams.get("delay") ?? 0), 60_000);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const asked = Number(url.searchParams.get("status") ?? 200);
  const status = Number.isInteger(asked) && asked >= 200 && asked <= 599 ? asked : 200;
  const city = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  if (request.method === "POST") {
    return Response.json({ received: await request.json() }, { status: status === 200 ? 201 : status });
  }
  return Response.json({ city, forecast: "sunny", high: 21 }, { status });
}
