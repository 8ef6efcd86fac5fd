/**
 * The example behind the "proxy-fetch" docs page (website/docs/capabilities/proxy-fetch.md,
 * which shows it whole), run as is by test/proxy-fetch/weather-example.test.ts:
 * a Durable Object that asks a weather API for forecasts through both strategies and
 * keeps what came back, Responses and Errors alike. The API's URL comes from the caller:
 * the tests pass the test internet, `npm start` the stand-in in ./api.ts.
 */
import { $response, LumenizeBase, proxyFetch, proxyFetchSimple, type ProxyFetchSimpleOptions } from "lumenize-do";

/** What the DO keeps of each outcome, oldest first. */
export interface Report {
  city: string;
  status?: number;
  body?: unknown;
  error?: { name: string; message: string };
}

// The executor delivers to this DO through its binding. A DO learns its binding from the
// first Lumenize call that reaches it; until then (say, reached from a fetch handler), tell it.
const DELIVER_TO: ProxyFetchSimpleOptions = { originBinding: "WEATHER" };

export class WeatherDO extends LumenizeBase<Env> {
  /** Orchestrated: the FetchOrchestrator keeps the job; this DO may be evicted meanwhile. */
  forecast(city: string, url: string): string {
    return proxyFetch(this, url, this.ctn().onForecast($response, city), DELIVER_TO);
  }

  /** Simple: no orchestrator; one pending outcome on this DO, id the request id, is the only record. */
  forecastSimple(city: string, url: string): string {
    return proxyFetchSimple(this, url, this.ctn().onForecast($response, city), DELIVER_TO);
  }

  /** Runs once per request, with the Response (any status) or an Error in its place. */
  async onForecast(response: Response | Error, city: string): Promise<void> {
    if (response instanceof Error) {
      // TimeoutError: too slow, or the result was lost; ProxyFetchError: the fetch failed.
      this.#report({ city, error: { name: response.name, message: response.message } });
      return;
    }
    this.#report({ city, status: response.status, body: await response.json() });
  }

  // --- The two timers -----------------------------------------------------------

  /**
   * `timeout`: the executor aborts the fetch after this many ms and delivers a TimeoutError.
   * `gracePeriod`: only if nothing at all arrives by timeout + grace does a TimeoutError
   * come instead (the result was lost, or the executor died): from the orchestrator, or,
   * with `proxyFetchSimple`, from this DO's own pending outcome.
   */
  forecastWithin(city: string, url: string, timeout: number, simple = false): string {
    const fetcher = simple ? proxyFetchSimple : proxyFetch;
    return fetcher(this, url, this.ctn().onForecast($response, city), { ...DELIVER_TO, timeout, gracePeriod: 5_000 });
  }

  // --- A Request: method, headers and body go along ------------------------------

  /** A POST with a JSON body. `retry` stays off: a POST is not safe to repeat. */
  sendObservation(city: string, celsius: number, url: string): string {
    const request = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ city, celsius }),
    });
    return proxyFetch(this, request, this.ctn().onForecast($response, city), DELIVER_TO);
  }

  /** A GET may retry: failed connections and 429/502/503/504, inside the same timeout. */
  forecastWithRetry(city: string, url: string): string {
    return proxyFetch(this, url, this.ctn().onForecast($response, city), { ...DELIVER_TO, retry: { attempts: 3, backoff: 200 } });
  }

  // --- What came back -------------------------------------------------------------

  reports(): Report[] {
    return this.ctx.storage.kv.get<Report[]>("reports") ?? [];
  }

  #report(report: Report): void {
    this.ctx.storage.kv.put("reports", [...this.reports(), report]);
  }
}
