// The bindings `wrangler.jsonc` declares, as the examples and tests see them.
// Kept by hand beside wrangler.jsonc (review both together).
declare namespace Cloudflare {
  interface Env {
    PROFILE: DurableObjectNamespace<import("./base-classes/profile").ProfileDO>;
    COUNTER: DurableObjectNamespace<import("./call/counter").CounterDO>;
    USER: DurableObjectNamespace<import("./call/user").UserDO>;
    REMINDERS: DurableObjectNamespace<import("./alarms/reminders").RemindersDO>;
    GREETER: Service<import("./base-classes/greeter").GreeterWorker>;
  }
}
interface Env extends Cloudflare.Env {}
