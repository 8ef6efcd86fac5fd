import type { OperationChain } from "./types";

/**
 * A readable rendering of a chain for error messages, e.g.
 * `getUser(…).profile.update(…)`. Arguments are elided: they may be large or
 * private, and the step number already says where things went wrong.
 */
export function describeChain(chain: OperationChain, upTo = chain.length): string {
  let text = "";
  for (const operation of chain.slice(0, upTo)) {
    text += operation.type === "get" ? (text ? `.${operation.key}` : operation.key) : "(…)";
  }
  return text || "(the target itself)";
}
