/**
 * Reading a chain without running it: a rendering for error messages, and
 * the members of the target it enters (what an access check needs).
 */
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

/**
 * Every member of the target that `chain` enters, each once, in order: its
 * first step, and the first step of every chain nested in its arguments
 * (however deep), since those run against the same target. What the steps
 * after the first reach depends on what those members return.
 */
export function enteredMembers(chain: OperationChain): string[] {
  const members = new Set<string>();
  const visit = (current: OperationChain): void => {
    if (current[0]?.type === "get") members.add(current[0].key);
    for (const operation of current) {
      if (operation.type !== "apply") continue;
      for (const arg of operation.args) if ("chain" in arg) visit(arg.chain);
    }
  };
  visit(chain);
  return [...members];
}
