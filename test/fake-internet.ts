/**
 * The outside world, as far as the tests and `wrangler dev` know it.
 *
 * There is no internet on the machines this project is built on, and tests
 * must not depend on it anyway. Every outbound `fetch` that no binding handles
 * lands here (vitest's `outboundService`). It runs in Node, not in workerd.
 *
 * `https://api.example.test/<path>` understands a few query parameters so one
 * origin can play every role a test needs:
 * - `delay=<ms>`: answer after that many milliseconds;
 * - `status=<code>`: answer with that status;
 * - `fail=1`: drop the connection (the fetch rejects).
 * Anything else answers `404`.
 */
export async function fakeInternet(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== "api.example.test") {
    return new Response(`No route to ${url.hostname} in the test internet`, { status: 502 });
  }
  const delay = Number(url.searchParams.get("delay") ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (url.searchParams.get("fail") === "1") {
    throw new Error(`Connection to ${url.host} reset`);
  }
  const status = Number(url.searchParams.get("status") ?? 200);
  const body = request.body ? await request.text() : null;
  return Response.json(
    { path: url.pathname, method: request.method, echo: body, headers: Object.fromEntries(request.headers) },
    { status, headers: { "x-served-by": "fake-internet" } },
  );
}
