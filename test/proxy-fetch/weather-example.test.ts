/**
 * Runs exactly the code the "proxy-fetch" docs page shows
 * (examples/proxy-fetch): WeatherDO asks for forecasts through both
 * strategies, against the test internet, and keeps what came back. The
 * page shows region "user-test", tests a user can copy.
 */
// #region user-test
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Report, WeatherDO } from "../../examples/proxy-fetch/weather";
// #endregion user-test
import type { FetchOrchestratorStats } from "../../lib";
import { orchestratorNames } from "../../lib/proxy-fetch/shards";
import { expectCleanAfterEach, track } from "../harness";
import { API } from "./harness";

expectCleanAfterEach();

const app = (exports as unknown as { default: { fetch(url: string): Promise<Response> } }).default;

let counter = 0;
function freshWeather(prefix: string) {
  const name = `weather-${prefix}-${counter++}`;
  trackWeather(name);
  return { name, weather: env.WEATHER.getByName(name) };
}

/** Adds a WeatherDO to the clean-after-each check (how this repo tests itself). */
function trackWeather(name: string): void {
  track(`WEATHER/${name}`, () => env.WEATHER.getByName(name));
  // The example uses the default orchestrator shards: they must end with no jobs and no alarm too.
  for (const shard of orchestratorNames()) track(`FETCH_ORCHESTRATOR/${shard}`, () => env.FETCH_ORCHESTRATOR.getByName(shard));
}

// #region user-test
/** The reports the continuation kept, once there are `count` of them. */
function reportsOf(weather: DurableObjectStub<WeatherDO>, count: number): Promise<Report[]> {
  return vi.waitFor(
    async () => {
      // `body` is whatever JSON the API sent, typed unknown, which RPC types cannot map.
      const reports = (await weather.reports()) as unknown as Report[];
      if (reports.length < count) throw new Error(`${reports.length} of ${count} reports`);
      return reports;
    },
    { timeout: 10_000, interval: 20 },
  );
}
// #endregion user-test

describe("the proxy-fetch page example: WeatherDO", () => {
  // #region user-test
  it("delivers the response to the continuation, whatever its status", async () => {
    const weather = env.WEATHER.getByName("oslo");
  // #endregion user-test
    trackWeather("oslo");
  // #region user-test
    // The test's outbound service plays the API: ?status= sets the status it answers with.
    await weather.forecastSimple("Oslo", "https://api.example.test/forecast/Oslo?status=503");
    const [report] = await reportsOf(weather, 1);
    expect(report).toMatchObject({ city: "Oslo", status: 503, body: { path: "/forecast/Oslo" } });
  });

  it("delivers a TimeoutError when the API is slower than the timeout", async () => {
    const weather = env.WEATHER.getByName("lima");
  // #endregion user-test
    trackWeather("lima");
  // #region user-test
    await weather.forecastWithin("Lima", "https://api.example.test/forecast/Lima?delay=3000", 200, true);
    const [report] = await reportsOf(weather, 1);
    expect(report.error?.name).toBe("TimeoutError");
  });
  // #endregion user-test

  it("gets a forecast through the orchestrator (proxyFetch)", async () => {
    const { weather } = freshWeather("orchestrated");
    const requestId = await weather.forecast("Paris", `${API}/forecast/Paris`);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await reportsOf(weather, 1)).toEqual([{ city: "Paris", status: 200, body: expect.objectContaining({ path: "/forecast/Paris", method: "GET" }) }]);
  });

  it("reports the executor's timeout as a TimeoutError naming the url", async () => {
    const { weather } = freshWeather("timeout");
    await weather.forecastWithin("Lima", `${API}/forecast/Lima?delay=3000`, 200);
    const [report] = await reportsOf(weather, 1);
    expect(report.error?.name).toBe("TimeoutError");
    expect(report.error?.message).toContain(`GET ${API}/forecast/Lima?delay=3000 got no complete response within its timeout of 200 ms`);
  });

  it("sends a POST with its headers and JSON body", async () => {
    const { weather } = freshWeather("post");
    await weather.sendObservation("Cairo", 31, `${API}/observations`);
    const [report] = await reportsOf(weather, 1);
    expect(report.body).toMatchObject({ method: "POST", echo: '{"city":"Cairo","celsius":31}', headers: { "content-type": "application/json" } });
  });

  it("retries a GET through dropped connections, then reports the ProxyFetchError", async () => {
    const { weather } = freshWeather("retry");
    await weather.forecastWithRetry("Quito", `${API}/forecast/Quito?fail=1`);
    const [report] = await reportsOf(weather, 1);
    expect(report.error).toEqual({ name: "ProxyFetchError", message: expect.stringMatching(/GET \S+Quito\?fail=1 failed after 3 attempts: Error: Network connection lost/) });
  });
});

describe("the proxy-fetch routes", () => {
  it("serves the stand-in api that npm start points the routes at", async () => {
    const response = await app.fetch("http://example.test/proxy-fetch/api/forecast/Paris");
    expect(await response.json()).toEqual({ city: "Paris", forecast: "sunny", high: 21 });
  });

  it("fetches a forecast by route and shows it on the reports route", async () => {
    const { name } = freshWeather("route");
    // Opened on the test internet's host, the route's stand-in url lands on the test internet.
    const started = await app.fetch(`${API}/proxy-fetch/${name}/forecast/Rome?strategy=simple&delay=10`);
    expect(await started.json()).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), reports: `/proxy-fetch/${name}/reports` });
    await reportsOf(env.WEATHER.getByName(name), 1);
    const reports = (await (await app.fetch(`${API}/proxy-fetch/${name}/reports`)).json()) as Report[];
    expect(reports).toEqual([{ city: "Rome", status: 200, body: expect.objectContaining({ path: "/proxy-fetch/api/forecast/Rome" }) }]);
  });

  it("answers a bad timeout with a 400 quoting it, before the DO sees it", async () => {
    const { name } = freshWeather("route-bad");
    const response = await app.fetch(`${API}/proxy-fetch/${name}/forecast/Rome?timeout=0`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'timeout="0" is out of range: give a whole number from 1 to 60000 (milliseconds).', param: "timeout", value: "0" });
  });

  it("counts a job that ends with the executor's timeout in exactly one bucket of the orchestrator's stats", async () => {
    const { name } = freshWeather("route-timeout");
    const stats = async () => (await (await app.fetch("http://example.test/proxy-fetch/orchestrator/stats")).json()) as FetchOrchestratorStats;
    const before = await stats();
    // The documented way to see a TimeoutError: an api slower (1 s) than the timeout (300 ms).
    const started = await app.fetch(`${API}/proxy-fetch/${name}/forecast/Rome?timeout=300&delay=1000`);
    expect(started.status).toBe(200);
    const [report] = await reportsOf(env.WEATHER.getByName(name), 1);
    expect(report.error?.name).toBe("TimeoutError");
    await vi.waitFor(async () => expect(await stats()).toEqual({ ...before, delivered: before.delivered + 1 }), { timeout: 5_000, interval: 20 });
  });

  it("shows the orchestrator's stats", async () => {
    freshWeather("stats");
    const stats = await (await app.fetch("http://example.test/proxy-fetch/orchestrator/stats")).json();
    expect(stats).toEqual({ pending: 0, inFlight: 0, delivered: expect.any(Number), timedOut: expect.any(Number), failed: expect.any(Number) });
  });
});
