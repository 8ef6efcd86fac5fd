/**
 * What a host holds from the platform, registered so that no chain can reach
 * it through a public member that aliases it (see `registerPlatformHandle`):
 * `ctx`, its storage with the SQL and KV faces, its loopback `exports`, and
 * `env` with every binding in it.
 */
import { registerPlatformHandle } from "../chains/internal";

/** `env` and `ctx.exports` objects already walked (a Worker's entrypoint is constructed per request). */
const walked = new WeakSet<object>();

export function registerHostHandles(ctx: object | undefined, env: unknown): void {
  if (ctx !== undefined) {
    registerPlatformHandle(ctx, "ctx");
    const storage = read(ctx, "storage");
    registerPlatformHandle(storage, "ctx.storage");
    if (typeof storage === "object" && storage !== null) {
      registerPlatformHandle(read(storage, "sql"), "ctx.storage.sql");
      registerPlatformHandle(read(storage, "kv"), "ctx.storage.kv");
    }
    registerAll(read(ctx, "exports"), "ctx.exports");
  }
  registerAll(env, "env");
}

/** Registers `object` and each of its own values. */
function registerAll(object: unknown, name: string): void {
  if (typeof object !== "object" || object === null || walked.has(object)) return;
  walked.add(object);
  registerPlatformHandle(object, name);
  for (const key of Object.keys(object)) registerPlatformHandle(read(object, key), `${name}.${key}`);
}

/** `object[key]`, or undefined where the runtime refuses the read (`storage.sql` without SQLite, say). */
function read(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
