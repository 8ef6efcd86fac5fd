// The bindings `wrangler.jsonc` declares, as the examples and tests see them.
// Kept by hand beside wrangler.jsonc (review both together).
declare namespace Cloudflare {
  interface Env {
    PROFILE: DurableObjectNamespace<import("./base-classes/profile").ProfileDO>;
    COUNTER: DurableObjectNamespace<import("./call/counter").CounterDO>;
    USER: DurableObjectNamespace<import("./call/user").UserDO>;
    REMINDERS: DurableObjectNamespace<import("./alarms/reminders").RemindersDO>;
    GREETER: Service<import("./base-classes/greeter").GreeterWorker>;
    WEATHER: DurableObjectNamespace<import("./proxy-fetch/weather").WeatherDO>;
    FETCH_ORCHESTRATOR: DurableObjectNamespace<import("../lib").FetchOrchestrator>;
    FETCH_EXECUTOR: Service<import("../lib").FetchExecutor>;
    LEDGER: DurableObjectNamespace<import("./security/ledger").LedgerDO>;
    TELLER: DurableObjectNamespace<import("./security/ledger").TellerDO>;
  }
}
interface Env extends Cloudflare.Env {}
