// Test-only bindings, declared in vitest.config.ts (the examples' own come from
// `wrangler types`, in examples/worker-configuration.d.ts).
declare namespace Cloudflare {
  interface Env {
    PLAIN_VAR: string;
    PROBE: DurableObjectNamespace<import("./fixtures/probe").ProbeDO>;
    CALLER_PROBE: DurableObjectNamespace<import("./fixtures/caller-probe").CallerProbeDO>;
    MISBEHAVING: DurableObjectNamespace<import("./fixtures/misbehaving").MisbehavingDO>;
    EXPOSED: DurableObjectNamespace<import("./fixtures/exposed").ExposedDO>;
    GUARDED: DurableObjectNamespace<import("./fixtures/guarded").GuardedDO>;
    BANK: DurableObjectNamespace<import("../examples/errors/checkout").BankDO>;
    SHOP: DurableObjectNamespace<import("../examples/errors/checkout").ShopDO>;
    INVOICE_BEFORE: DurableObjectNamespace<import("../examples/versioning/before/invoices").InvoiceDO>;
    INVOICE_AFTER: DurableObjectNamespace<import("../examples/versioning/after/invoices").InvoiceDO>;
    OLD_RECEIVER: DurableObjectNamespace<import("./fixtures/old-receiver").OldReceiverDO>;
    BROKEN_EXECUTOR: Service<import("./fixtures/faulty-executors").BrokenExecutor>;
    DEAD_EXECUTOR: Service<import("./fixtures/faulty-executors").DeadExecutor>;
    LOSING_EXECUTOR: Service<import("./fixtures/faulty-executors").LosingExecutor>;
  }
}
// The generated global `Env` extends only the examples' bindings; tests see the fixtures' too.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, to merge with the global one
interface Env extends Cloudflare.Env {}

// Types `exports` from "cloudflare:workers" (the test worker's own loopback bindings).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./test-worker");
  }
}

// Vite's `?raw` imports: a file's text, used to check docs samples against the code.
declare module "*?raw" {
  const text: string;
  export default text;
}
