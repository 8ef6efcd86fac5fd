import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { fakeInternet } from "./test/fake-internet.ts";

// Every test runs inside workerd with the same bindings `wrangler dev` serves,
// so the examples the docs import are exactly what the tests exercise.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      // The examples plus test-only fixtures (see test/test-worker.ts).
      main: "./test/test-worker.ts",
      miniflare: {
        durableObjects: { PROBE: { className: "ProbeDO", useSQLite: true } },
        // A binding that is neither a DO namespace nor a service, to prove call refuses it.
        bindings: { PLAIN_VAR: "not callable" },
        // There is no internet here: anything the examples fetch from
        // `https://api.example.test` is answered by this local stand-in.
        outboundService: (request: Request) => fakeInternet(request),
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
