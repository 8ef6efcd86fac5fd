import { LumenizeError } from "../errors";

/**
 * A schedule was refused at `schedule()` time: an invalid cron, a negative or
 * non-finite delay, an invalid Date, a bad id, or a continuation that is not
 * a chain. Nothing was stored. The message names the problem and the fix.
 */
export class AlarmsError extends LumenizeError {
  override name = "AlarmsError";
}
