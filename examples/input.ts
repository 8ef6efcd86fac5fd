/**
 * Reading what a user typed into an example URL. The routes turn query and path
 * text into numbers and choices here, before any Durable Object sees them, so a
 * bad value answers 400 with a message quoting the text as typed (`price=abc`,
 * never `NaN`), and no Durable Object throws (`wrangler dev` would log that as
 * "Uncaught" in the object even though the route answered).
 */

/** Bad input in a request: the examples Worker answers it with 400 and {@link BadInput.body}. */
export class BadInput extends Error {
  override readonly name = "BadInput";

  /**
   * @param param the query parameter or path segment the value came from
   * @param value the text exactly as the user typed it
   */
  constructor(
    message: string,
    readonly param: string,
    readonly value: string,
  ) {
    super(message);
  }

  /** The JSON the route answers: what is wrong, and the value as typed. */
  get body(): { error: string; param: string; value: string } {
    return { error: this.message, param: this.param, value: this.value };
  }
}

/** Bounds for {@link numberParam}: inclusive, and what the number is (a unit, or a thing). */
export interface NumberRule {
  min: number;
  max: number;
  what: string;
  /** Whole numbers only. */
  integer?: boolean;
}

/**
 * A number from text. `Number()` alone would take `""` and `" "` for 0, accept
 * `"0x10"` and `"Infinity"`, and turn the rest into NaN; this takes decimals
 * (with an optional exponent) only.
 * @throws BadInput naming `param` and quoting `text` when it is not a number in range.
 */
export function parseNumber(param: string, text: string, rule: NumberRule): number {
  const range = `${rule.integer ? "a whole number" : "a number"} from ${rule.min} to ${rule.max} (${rule.what})`;
  const typed = `${param}=${JSON.stringify(text)}`;
  const value = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value)) throw new BadInput(`${typed} is not a number: give ${range}.`, param, text);
  if (rule.integer && !Number.isInteger(value)) throw new BadInput(`${typed} is not a whole number: give ${range}.`, param, text);
  if (value < rule.min || value > rule.max) throw new BadInput(`${typed} is out of range: give ${range}.`, param, text);
  return value;
}

/** A query parameter as a number, or `fallback` when it is absent. @throws BadInput as {@link parseNumber}. */
export function numberParam(query: URLSearchParams, param: string, fallback: number, rule: NumberRule): number {
  const text = query.get(param);
  return text === null ? fallback : parseNumber(param, text, rule);
}

/** Text that must be one of `choices`. @throws BadInput listing the choices. */
export function parseChoice<C extends string>(param: string, text: string, choices: readonly C[]): C {
  if ((choices as readonly string[]).includes(text)) return text as C;
  throw new BadInput(`${param}=${JSON.stringify(text)} is not one of ${choices.join(", ")}.`, param, text);
}

/** A query parameter that must be one of `choices`, or `fallback` when absent. */
export function choiceParam<C extends string>(query: URLSearchParams, param: string, fallback: C, choices: readonly C[]): C {
  const text = query.get(param);
  return text === null ? fallback : parseChoice(param, text, choices);
}

/** A query parameter as non-empty text, or `fallback` when absent. @throws BadInput when it is given empty. */
export function textParam(query: URLSearchParams, param: string, fallback: string): string {
  const text = query.get(param) ?? fallback;
  if (text.trim() === "") throw new BadInput(`${param}=${JSON.stringify(text)} is empty: give some text, e.g. ${param}=${encodeURIComponent(fallback)}.`, param, text);
  return text;
}

/**
 * Path segments a route's pattern captured, percent-decoded (`%3Cid%3E` is `<id>`).
 * @throws BadInput for a segment that is not valid percent-encoding.
 */
export function decodeParams(groups: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [param, raw] of Object.entries(groups)) {
    try {
      decoded[param] = decodeURIComponent(raw);
    } catch {
      throw new BadInput(`${param}=${JSON.stringify(raw)} is not valid percent-encoding.`, param, raw);
    }
  }
  return decoded;
}
