import { LumenizeError } from "../errors";

/**
 * An operation chain was malformed, reached for something it may not, or
 * named a member the target does not have. The message names the step.
 */
export class OperationChainError extends LumenizeError {
  override name = "OperationChainError";
}
