import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd, with the bindings of wrangler.jsonc.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      // No test reaches the internet: every outbound fetch is answered here, in Node.
      miniflare: { outboundService: fakeInternet },
    }),
  ],
});

/** The internet, as the tests see it: one made-up API that echoes what it was asked. */
function fakeInternet(request: Request): Response {
  const url = new URL(request.url);
  if (url.hostname !== "api.example.test") return new Response(`No ${url.hostname} in the test internet`, { status: 502 });
  return Response.json({ method: request.method, path: url.pathname });
}
