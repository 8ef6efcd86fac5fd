// Test-only bindings, declared in vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    PLAIN_VAR: string;
    PROBE: DurableObjectNamespace<import("./fixtures/probe").ProbeDO>;
    BROKEN_EXECUTOR: Service<import("./fixtures/faulty-executors").BrokenExecutor>;
    DEAD_EXECUTOR: Service<import("./fixtures/faulty-executors").DeadExecutor>;
    LOSING_EXECUTOR: Service<import("./fixtures/faulty-executors").LosingExecutor>;
  }
}

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
