import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import type { Delivery, ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";

let counter = 0;
/** A fresh ProbeDO per test, so no test sees another's deliveries. */
export function freshProbe(prefix = "probe"): { name: string; stub: DurableObjectStub<ProbeDO> } {
  const name = `${prefix}-${Date.now()}-${counter++}`;
  return { name, stub: env.PROBE.getByName(name) };
}

/** Runs `work` inside the probe instance (so `this.lmz.call` runs in a real DO). */
export function inProbe<R>(stub: DurableObjectStub<ProbeDO>, work: (probe: ProbeDO) => R | Promise<R>): Promise<R> {
  return runInDurableObject(stub, (probe: ProbeDO) => work(probe));
}

/** Waits until the probe has recorded `count` deliveries, then returns them. */
export function deliveriesOf(stub: DurableObjectStub<ProbeDO>, count: number, timeout = 10_000): Promise<Delivery[]> {
  return waitForAtLeast(() => inProbe(stub, (probe) => probe.deliveries().slice()), count, "delivered", timeout);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
