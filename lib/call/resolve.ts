/**
 * Turns `(binding, target)` into an RPC stub, synchronously, so a wrong
 * binding fails at the call site with nothing sent.
 */
import type { ChainDoor } from "../base";
import { isNamespace, isService, type Address } from "../envelope";
import { CallError } from "./errors";
import type { CallTarget } from "./types";

export function resolveTarget(env: unknown, binding: string, target: CallTarget): { stub: ChainDoor; address: Address } {
  const bindings = (env ?? {}) as Record<string, unknown>;
  const found = bindings[binding];
  if (found === undefined || found === null) {
    const known = Object.keys(bindings).filter((name) => isNamespace(bindings[name]) || isService(bindings[name]));
    throw new CallError(
      `Unknown binding "${binding}": env has no such binding. Lumenize-capable bindings here: ${known.join(", ") || "(none)"}. Check wrangler.jsonc.`,
    );
  }
  if (isNamespace(found)) {
    if (typeof target === "string") {
      return { stub: found.getByName(target) as unknown as ChainDoor, address: { binding, name: target } };
    }
    if (isDurableObjectId(target)) {
      return { stub: found.get(target) as unknown as ChainDoor, address: { binding, name: target.name } };
    }
    throw new CallError(`Binding "${binding}" is a Durable Object namespace: pass an instance name or a DurableObjectId as the target.`);
  }
  if (isService(found)) {
    if (target !== undefined) {
      throw new CallError(`Binding "${binding}" is a service binding (a Worker has no instances): pass undefined as the target.`);
    }
    return { stub: found as unknown as ChainDoor, address: { binding } };
  }
  throw new CallError(`Binding "${binding}" is neither a Durable Object namespace nor a service binding, so it cannot be called.`);
}

function isDurableObjectId(value: unknown): value is DurableObjectId {
  return typeof (value as DurableObjectId)?.equals === "function" && typeof (value as DurableObjectId)?.toString === "function";
}
