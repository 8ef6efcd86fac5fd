/**
 * Bad input fails at the call site with a ProxyFetchError that says what to
 * fix, and nothing is stored or sent: no pending outcome on the origin, no
 * job at the orchestrator, no continuation run.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $response, DataCloneError, ProxyFetchError, type FetchOrchestrator, type ProxyFetchOptions } from "../../lib";
import type { ProbeDO } from "../fixtures/probe";
import { expectCleanAfterEach, freshProbe, inProbe, sleep, storedState } from "../harness";
import { API, freshOrchestrator, startOrchestrated, startSimple, type Start } from "./harness";

expectCleanAfterEach();

type Attempt = (probe: ProbeDO, options: ProxyFetchOptions) => unknown;

/** Runs `attempt` with both strategies; each must throw `expected` and leave nothing behind. */
async function expectRefused(prefix: string, attempt: Attempt, expected: RegExp, errorClass: new (...args: never[]) => Error = ProxyFetchError): Promise<void> {
  const { stub } = freshProbe(prefix);
  const orchestrator = freshOrchestrator(prefix);
  await inProbe(stub, (probe) => {
    expect(() => attempt(probe, orchestrator.options)).toThrow(errorClass);
    expect(() => attempt(probe, orchestrator.options)).toThrow(expected);
  });
  await sleep(50);
  expect(await storedState(stub)).toEqual({ tables: [], schedules: [], outcomes: [], jobs: 0, alarm: null });
  expect(await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => o.stats())).toEqual({ pending: 0, inFlight: 0, delivered: 0, timedOut: 0, failed: 0 });
  expect(await storedState(orchestrator.stub)).toEqual({ tables: [], schedules: [], outcomes: [], jobs: 0, alarm: null });
  await inProbe(stub, (probe) => expect(probe.deliveries()).toEqual([]));
}

const both = (call: (fetcher: Start, probe: ProbeDO, options: ProxyFetchOptions) => unknown): Attempt[] => [
  (probe, options) => call(startOrchestrated, probe, options),
  (probe, options) => call(startSimple, probe, options),
];

describe("bad input at the call site", () => {
  it("refuses an invalid url", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, "api.example.test/no-scheme", probe.ctn().record($response, "x"), options))) {
      await expectRefused("bad-url", attempt, /Invalid URL "api.example.test\/no-scheme" given to this\.lmz\.proxyFetch(Simple)?\(\): give an absolute http\(s\) URL/);
    }
  });

  it("refuses a url that is not http or https", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, "ftp://files.example.test/a", probe.ctn().record($response, "x"), options))) {
      await expectRefused("bad-scheme", attempt, /Unsupported URL scheme "ftp:"/);
    }
  });

  it("refuses a request whose body was already read", async () => {
    for (const attempt of both((fetcher, probe, options) => {
      const request = new Request(`${API}/a`, { method: "POST", body: "once" });
      // Left reading on purpose: the body is in use, which is what the fetcher must refuse; the text is not needed.
      void request.text();
      return fetcher(probe, request, probe.ctn().record($response, "x"), options);
    })) {
      await expectRefused("used-body", attempt, /has a body that was already read \(or is being read\)/);
    }
  });

  it("refuses something that is neither a url nor a request", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, { url: `${API}/a` } as never, probe.ctn().record($response, "x"), options))) {
      await expectRefused("not-a-request", attempt, /takes a URL string, a URL or a Request, got object/);
    }
  });

  it("refuses a missing executor binding, naming the fix", async () => {
    for (const attempt of both((fetcher, probe, options) =>
      fetcher(probe, `${API}/a`, probe.ctn().record($response, "x"), { ...options, executorBinding: "NO_SUCH_EXECUTOR" }),
    )) {
      await expectRefused("no-executor", attempt, /Missing executor binding "NO_SUCH_EXECUTOR": proxy-fetch needs a service binding to a FetchExecutor entrypoint/);
    }
  });

  it("refuses an executor binding that is not a service", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, probe.ctn().record($response, "x"), { ...options, executorBinding: "PROBE" }))) {
      await expectRefused("executor-namespace", attempt, /Unusable executor binding "PROBE"/);
    }
  });

  it("refuses to proxy when the origin does not know its binding and none is given", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, probe.ctn().record($response, "x"), { ...options, originBinding: undefined }))) {
      await expectRefused("no-origin", attempt, /does not know its own binding yet .* Pass options.originBinding/);
    }
  });

  it("refuses an origin binding that does not reach this object", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, probe.ctn().record($response, "x"), { ...options, originBinding: "COUNTER" }))) {
      await expectRefused("wrong-origin", attempt, /originBinding "COUNTER" does not reach this Durable Object/);
    }
  });

  it("refuses a missing orchestrator binding in proxyFetch", async () => {
    await expectRefused(
      "no-orchestrator",
      (probe, options) => probe.lmz.proxyFetch(`${API}/a`, probe.ctn().record($response, "x"), { ...options, orchestratorBinding: "NO_ORCHESTRATOR" }),
      /Missing orchestrator binding "NO_ORCHESTRATOR".*or use this\.lmz\.proxyFetchSimple\(\)/,
    );
  });

  it("refuses a continuation without $response, or one that is not a chain", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, probe.ctn().record("no placeholder", "x"), options))) {
      await expectRefused("no-placeholder", attempt, /has no result placeholder: build it with this.ctn\(\) and put \$response where the Response/);
    }
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, (() => {}) as never, options))) {
      await expectRefused("not-a-chain", attempt, /is not an operation chain/);
    }
  });

  it("refuses a continuation argument that cannot be stored", async () => {
    for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, probe.ctn().record($response, (() => 1) as never), options))) {
      await expectRefused("uncloneable", attempt, /Cannot clone a function/, DataCloneError);
    }
  });

  it("refuses a bad timeout, grace period, executor kind or retry", async () => {
    const cases: [Partial<ProxyFetchOptions>, RegExp][] = [
      [{ timeout: 0 }, /Invalid timeout 0: give a positive, finite number of milliseconds/],
      [{ timeout: Infinity }, /Invalid timeout Infinity/],
      [{ gracePeriod: -1 }, /Invalid gracePeriod -1/],
      [{ executorKind: "durable-object" as never }, /Invalid executorKind "durable-object"/],
      [{ retry: { attempts: 0 } }, /Invalid retry.attempts 0/],
      // Each fits in a number, but not in a Date once added to now (alone, or summed).
      [{ timeout: 8.64e15 }, /Invalid timeout 8640000000000000 or gracePeriod 10000: timeout \+ (2 × )?gracePeriod from now ends after the last time a Date can hold/],
      [{ gracePeriod: 8.64e15 }, /Invalid timeout 20000 or gracePeriod 8640000000000000: .* ends after the last time a Date can hold/],
      [{ timeout: 4.4e15, gracePeriod: 4.4e15 }, /ends after the last time a Date can hold/],
    ];
    for (const [bad, expected] of cases) {
      for (const attempt of both((fetcher, probe, options) => fetcher(probe, `${API}/a`, probe.ctn().record($response, "x"), { ...options, ...bad }))) {
        await expectRefused("bad-options", attempt, expected);
      }
    }
  });
});
