import path from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { kCurrentWorker } from "miniflare";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";
import { fakeInternetService } from "./test/fake-internet.ts";
import { benchDurableObjects } from "./bench/worker/bindings.ts";

// The examples import the library by its package name, which wrangler.jsonc
// maps to lib/ ("alias"); the Workers plugin does not apply that map, so
// vite gets it here, each name matched exactly.
const alias: Record<string, string> = unstable_readConfig({ config: "./wrangler.jsonc" }).alias ?? {};
const packageAliases = Object.entries(alias).map(([name, file]) => ({
  find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
  replacement: path.resolve(file),
}));

// Every test runs inside workerd with the same bindings `wrangler dev` serves,
// so the examples the docs import are exactly what the tests exercise.
export default defineConfig({
  resolve: { alias: packageAliases },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      // The examples plus test-only fixtures (see test/test-worker.ts).
      main: "./test/test-worker.ts",
      miniflare: {
        // The bench controllers too, for the bench smoke test (test/bench/smoke.test.ts).
        durableObjects: {
          PROBE: { className: "ProbeDO", useSQLite: true },
          // A ProbeDO whose continuations note `this.lmz.caller` (test/fixtures/caller-probe.ts).
          CALLER_PROBE: { className: "CallerProbeDO", useSQLite: true },
          // A target that throws what no method should (test/fixtures/misbehaving.ts).
          MISBEHAVING: { className: "MisbehavingDO", useSQLite: true },
          // Platform handles aliased into public fields (test/fixtures/exposed.ts).
          EXPOSED: { className: "ExposedDO", useSQLite: true },
          // Hosts with an onBeforeCall hook (test/fixtures/guarded.ts).
          GUARDED: { className: "GuardedDO", useSQLite: true },
          // The Errors page's example (examples/errors/checkout.ts).
          BANK: { className: "BankDO", useSQLite: true },
          SHOP: { className: "ShopDO", useSQLite: true },
          // The Redeploy and versioning page's class, before and after a rename (examples/versioning/).
          INVOICE_BEFORE: { className: "InvoiceBeforeDO", useSQLite: true },
          INVOICE_AFTER: { className: "InvoiceAfterDO", useSQLite: true },
          // A host from before durable calls: no __acceptChain door (test/fixtures/old-receiver.ts).
          OLD_RECEIVER: { className: "OldReceiverDO", useSQLite: true },
          ...benchDurableObjects,
        },
        // A binding that is neither a DO namespace nor a service, to prove call refuses it.
        bindings: { PLAIN_VAR: "not callable" },
        // Executors that throw or die, for the proxy-fetch failure tests (test/fixtures/faulty-executors.ts).
        serviceBindings: {
          // kCurrentWorker: this Worker (the pool's own; miniflare comes with it).
          BROKEN_EXECUTOR: { name: kCurrentWorker, entrypoint: "BrokenExecutor" },
          DEAD_EXECUTOR: { name: kCurrentWorker, entrypoint: "DeadExecutor" },
          LOSING_EXECUTOR: { name: kCurrentWorker, entrypoint: "LosingExecutor" },
        },
        // There is no internet here: anything the examples fetch from
        // `https://api.example.test` is answered by this local stand-in
        // (Node-style, so it can drop a connection: see the file).
        outboundService: fakeInternetService,
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
