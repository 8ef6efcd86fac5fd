import { LumenizeError } from "../errors";

/**
 * A call could not be made or its result not delivered: unknown binding,
 * target that is not a Lumenize host, malformed continuation. Thrown at the
 * call site when it can be known there, otherwise delivered to the
 * continuation in place of the result.
 */
export class CallError extends LumenizeError {
  override name = "CallError";
}
