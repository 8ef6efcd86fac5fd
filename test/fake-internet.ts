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
 * A host ending in `.invalid` does not resolve (the fetch rejects, as for a
 * DNS failure); any other host answers `502`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export async function fakeInternet(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname.endsWith(".invalid")) throw new DroppedConnection(`getaddrinfo ENOTFOUND ${url.hostname}`);
  if (url.hostname !== "api.example.test") {
    return new Response(`No route to ${url.hostname} in the test internet`, { status: 502 });
  }
  const delay = Number(url.searchParams.get("delay") ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (url.searchParams.get("fail") === "1") {
    throw new DroppedConnection(`Connection to ${url.host} reset`);
  }
  const status = Number(url.searchParams.get("status") ?? 200);
  const body = request.body ? await request.text() : null;
  return Response.json(
    { path: url.pathname, method: request.method, echo: body, headers: Object.fromEntries(request.headers) },
    { status, headers: { "x-served-by": "fake-internet" } },
  );
}

/** Thrown by {@link fakeInternet} when the connection should die with no response. */
export class DroppedConnection extends Error {}

/**
 * {@link fakeInternet} as Miniflare's Node-style outbound service, which is
 * what vitest.config.ts installs. A plain function service cannot drop a
 * connection (Miniflare turns anything it throws into a 500 Response); here
 * a `DroppedConnection` destroys the socket, so the Worker's `fetch` rejects
 * ("Network connection lost") as it would on the real internet. Workerd logs
 * the dropped connection as an uncaught exception of its outbound stub: that
 * line is expected.
 */
export const fakeInternetService = {
  async node(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    try {
      const response = await fakeInternet(await toRequest(incoming));
      outgoing.writeHead(response.status, response.statusText, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      if (!(error instanceof DroppedConnection)) console.error("[fake-internet]", error);
      incoming.socket.destroy();
    }
  },
};

async function toRequest(incoming: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    // Miniflare's routing header is not part of the request the Worker sent.
    if (value === undefined || name === "mf-custom-node-service") continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const method = incoming.method ?? "GET";
  const body = method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks);
  // The scheme does not reach the outbound service; the test internet is all https.
  return new Request(`https://${incoming.headers.host ?? "unknown.invalid"}${incoming.url ?? "/"}`, { method, headers, body });
}
