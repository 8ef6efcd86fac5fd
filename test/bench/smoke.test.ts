/**
 * Smoke test of the bench (see the Performance page): each experiment's
 * --quick batches, run once inside the pool, complete every operation
 * (the peers' experiments run on their own Worker: `npm run bench -- --quick`).
 * Timings are not checked here; `npm run bench` measures them.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { casesOf, experiments } from "../../bench/experiments.mjs";
import wranglerConfig from "../../bench/wrangler.jsonc?raw";
import { benchDurableObjects, sharedWithExamples } from "../../bench/worker/bindings";
import type { BatchRequest, BatchResult } from "../../bench/worker/controller";

interface Controller {
  runBatch(request: BatchRequest): Promise<BatchResult>;
}

function controller(binding: string, name: string): Controller {
  const namespace = (env as unknown as Record<string, DurableObjectNamespace>)[binding];
  return namespace.getByName(name) as unknown as Controller;
}

describe("bench smoke", () => {
  it("binds the same durable objects as bench/wrangler.jsonc", () => {
    const config = JSON.parse(wranglerConfig.replace(/^\s*\/\/.*$/gm, "")) as { durable_objects: { bindings: { name: string; class_name: string }[] } };
    const shared: readonly string[] = sharedWithExamples;
    const own = config.durable_objects.bindings.filter((b) => !shared.includes(b.name));
    const fromConfig = Object.fromEntries(own.map((b) => [b.name, b.class_name]));
    const fromPool = Object.fromEntries(Object.entries(benchDurableObjects).map(([name, b]) => [name, b.className]));
    expect(fromPool).toEqual(fromConfig);
  });

  // The peers' experiments need bench/peers, which the main install leaves out.
  for (const experiment of experiments.filter((e) => !e.skip && e.worker === undefined)) {
    it(`${experiment.id}: every operation of the quick batches completes`, async () => {
      const stub = controller(experiment.binding, `smoke-${experiment.id}`);
      for (const testCase of casesOf(experiment, true)) {
        for (const variant of testCase.variants ?? Object.keys(experiment.variants)) {
          const result = await stub.runBatch({ method: experiment.variants[variant], size: testCase.size, params: testCase.params });
          expect(result, `${testCase.label}, ${variant}`).toMatchObject({ size: testCase.size, completed: testCase.size, failed: 0 });
        }
      }
    });
  }
});
