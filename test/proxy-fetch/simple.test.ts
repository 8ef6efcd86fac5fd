/**
 * proxyFetchSimple: one pending outcome on the origin is the only record;
 * whoever settles it first answers. What it shares with proxyFetch is in
 * strategies.test.ts.
 */
// #region races
import { describe, expect, it } from "vitest";
import { $response, type ProxyFetchSimpleOptions } from "lumenize-do";
import { expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { API, expectNoMoreThan, outcomesOf, waitForOutcomes } from "./harness";

expectCleanAfterEach();

const TO_PROBE: ProxyFetchSimpleOptions = { originBinding: "PROBE" };
// #endregion races

describe("proxyFetchSimple delivers", () => {
  it("delivers the response with status, headers and a readable body", async () => {
    const { stub } = freshProbe("simple-ok");
    const id = await inProbe(stub, (probe) => probe.lmz.proxyFetchSimple(`${API}/items?delay=20`, probe.ctn().record($response, "a"), TO_PROBE));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome).toMatchObject({ tag: "a", status: 200, headers: { "x-served-by": "fake-internet" }, body: { path: "/items", method: "GET" } });
  });

  it("delivers 4xx and 5xx statuses as responses, not errors", async () => {
    const { stub } = freshProbe("simple-status");
    await inProbe(stub, (probe) => {
      probe.lmz.proxyFetchSimple(`${API}/missing?status=404`, probe.ctn().record($response, "404"), TO_PROBE);
      probe.lmz.proxyFetchSimple(`${API}/broken?status=503`, probe.ctn().record($response, "503"), TO_PROBE);
    });
    const outcomes = await waitForOutcomes(stub, 2);
    expect(Object.fromEntries(outcomes.map((outcome) => [outcome.tag, outcome.status]))).toEqual({ 404: 404, 503: 503 });
  });

  it("carries a request's method, headers and body to the api", async () => {
    const { stub } = freshProbe("simple-post");
    await inProbe(stub, (probe) => {
      const request = new Request(`${API}/orders`, { method: "POST", headers: { "content-type": "application/json", "x-trace": "t1" }, body: '{"qty":2}' });
      probe.lmz.proxyFetchSimple(request, probe.ctn().record($response, "post"), TO_PROBE);
      // The caller's Request stays readable: the body is read from a clone.
      expect(request.bodyUsed).toBe(false);
    });
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.body).toMatchObject({ method: "POST", echo: '{"qty":2}', headers: { "content-type": "application/json", "x-trace": "t1" } });
  });

  it("accepts a URL object", async () => {
    const { stub } = freshProbe("simple-url");
    await inProbe(stub, (probe) => probe.lmz.proxyFetchSimple(new URL("/from-url", API), probe.ctn().record($response, "url"), TO_PROBE));
    expect((await waitForOutcomes(stub, 1))[0].body?.path).toBe("/from-url");
  });

});

describe("proxyFetchSimple storage", () => {
  it("stores one pending outcome, id the request id, holding the continuation and nothing else", async () => {
    const { stub } = freshProbe("simple-storage");
    const before = Date.now();
    const id = await inProbe(stub, (probe) =>
      probe.lmz.proxyFetchSimple(`${API}/slow?delay=400`, probe.ctn().record($response, "a"), { ...TO_PROBE, timeout: 1_000, gracePeriod: 2_000 }),
    );
    const during = await storedState(stub);
    expect(during.tables).toEqual(["__lmz_outcomes"]);
    expect(during.outcomes.map((outcome) => outcome.id)).toEqual([id]);
    // Armed at timeout + grace, not at timeout: the deadline only catches a lost result.
    expect(during.outcomes[0].time).toBeGreaterThanOrEqual(before + 3_000);
    expect(during.outcomes[0].time).toBeLessThan(before + 3_500);
    expect(during.alarm).toBe(during.outcomes[0].time);
    await waitForOutcomes(stub, 1);
    const after = await storedState(stub);
    expect(after.outcomes).toEqual([]);
    expect(after.alarm).toBeNull();
  });
});

// #region races
describe("proxyFetchSimple exactly once", () => {
  it("runs the timeout and not the result when the timeout fires first", async () => {
    const { stub } = freshProbe("simple-race-timeout");
    await inProbe(stub, (probe) =>
      probe.lmz.proxyFetchSimple(`${API}/second?delay=1000`, probe.ctn().record($response, "t"), { ...TO_PROBE, timeout: 5_000, gracePeriod: 5_000 }),
    );
    // The deadline is answered while the fetch is still running...
    const fired = await inProbe(stub, (probe) => probe.lmz.alarms.triggerAlarms(1));
    expect(fired.map(({ type }) => type)).toEqual(["outcome"]);
    expect((await outcomesOf(stub)).map((outcome) => outcome.error?.name)).toEqual(["TimeoutError"]);
    // ...and the real result, arriving after, is dropped.
    await expectNoMoreThan(stub, 1, 1_500);
  });
});
// #endregion races

describe("proxyFetchSimple retry", () => {
  it("retries a safe method through failed connections and gives up naming the attempts", async () => {
    const { stub } = freshProbe("simple-retry");
    await inProbe(stub, (probe) =>
      probe.lmz.proxyFetchSimple(`${API}/flaky?fail=1`, probe.ctn().record($response, "get"), { ...TO_PROBE, retry: { attempts: 3, backoff: 10 } }),
    );
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.error?.message).toContain(`GET ${API}/flaky?fail=1 failed after 3 attempts: Error: Network connection lost`);
  });

  it("does not retry a post unless the method is allowed", async () => {
    const { stub } = freshProbe("simple-no-retry-post");
    await inProbe(stub, (probe) => {
      const post = () => new Request(`${API}/pay?fail=1`, { method: "POST", body: "x" });
      probe.lmz.proxyFetchSimple(post(), probe.ctn().record($response, "default"), { ...TO_PROBE, retry: true });
      probe.lmz.proxyFetchSimple(post(), probe.ctn().record($response, "allowed"), { ...TO_PROBE, retry: { attempts: 2, backoff: 10, methods: ["POST"] } });
    });
    const outcomes = await waitForOutcomes(stub, 2);
    expect(outcomes.find((outcome) => outcome.tag === "default")?.error?.message).toMatch(/POST \S+ failed: /);
    expect(outcomes.find((outcome) => outcome.tag === "allowed")?.error?.message).toMatch(/POST \S+ failed after 2 attempts: /);
  });

  it("retries a retryable status and delivers the last response when attempts run out", async () => {
    const { stub } = freshProbe("simple-retry-status");
    await inProbe(stub, (probe) =>
      probe.lmz.proxyFetchSimple(`${API}/busy?status=503`, probe.ctn().record($response, "busy"), { ...TO_PROBE, retry: { attempts: 2, backoff: 10 } }),
    );
    expect((await waitForOutcomes(stub, 1))[0].status).toBe(503);
  });

  it("keeps every attempt inside the one timeout", async () => {
    const { stub } = freshProbe("simple-retry-timeout");
    await inProbe(stub, (probe) =>
      probe.lmz.proxyFetchSimple(`${API}/busy?status=503&delay=100`, probe.ctn().record($response, "busy"), {
        ...TO_PROBE,
        timeout: 300,
        retry: { attempts: 10, backoff: 50 },
      }),
    );
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.error?.name).toBe("TimeoutError");
    expect(outcome.error?.message).toMatch(/within its timeout of 300 ms \(\d attempts\)/);
  });
});
