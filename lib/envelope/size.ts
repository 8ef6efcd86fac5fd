/**
 * How big a value is on the wire. Workers RPC refuses a message (arguments
 * or result) over 32 MiB of the platform's serialized form, and reports it
 * on the far side as a broken call; measuring first lets Lumenize refuse
 * with an Error that says so, where the sender sees it.
 */

/** Workers RPC's limit on one message: 32 MiB of V8-serialized bytes. */
export const RPC_MESSAGE_LIMIT = 32 * 1024 * 1024;

/** Any character outside Latin-1 makes V8 keep (and send) a string as two bytes per character. */
const TWO_BYTE = /[\u0100-\uffff]/;

/**
 * The size, in bytes, of `value` in the serialized form Workers RPC sends
 * (V8's format), for JSON-shaped data such as Lumenize's envelopes and
 * outcomes: objects, arrays, strings, numbers, booleans, null. Checked
 * against the platform's own count (`test/call/rpc-size.test.ts`): exact for
 * strings, booleans, null and the arrays around them; a little high for
 * objects and for arrays of numbers alone (neither occurs in an envelope or
 * outcome beyond a handful). A number is counted as V8 usually holds it: a
 * small integer as a 2-5 byte varint, anything else as a 9-byte double. V8
 * sometimes holds an integer as a double (optimized code does), so the real
 * message can be a little larger (0.1% on the worst mix measured); near the
 * limit the platform's own refusal, which names the limit, still comes
 * through.
 * Iterative, so depth costs no stack.
 */
export function rpcSize(value: unknown): number {
  return measure(value, true);
}

/**
 * At least `text`'s bytes in a Workers RPC message, for sizing batches:
 * two a character (as if it were not Latin-1), without scanning it; exact
 * for a text that bound would put over half the limit, where a batch must
 * not refuse what fits.
 */
export function textSizeBound(text: string): number {
  const bound = 2 * text.length + 16;
  return bound <= RPC_MESSAGE_LIMIT / 2 ? bound : rpcSize(text);
}

/**
 * Why `value` cannot be one Workers RPC message, `"it is N bytes in Workers
 * RPC's encoding, over its limit of …"`, or `undefined` if it fits.
 */
export function oversize(value: unknown): string | undefined {
  // Counting every string as one byte a character skips a scan of each; a
  // two-byte string at most doubles its share, so under half the limit
  // settles it (every message but the huge ones).
  if (2 * measure(value, false) <= RPC_MESSAGE_LIMIT) return undefined;
  const size = measure(value, true);
  if (size <= RPC_MESSAGE_LIMIT) return undefined;
  return `it is ${size.toLocaleString("en-US")} bytes in Workers RPC's encoding, over its limit of ${RPC_MESSAGE_LIMIT.toLocaleString("en-US")} bytes (32 MiB)`;
}

/** {@link rpcSize}, or with `twoByteAware` false, the size if every string were Latin-1 (at least half the real size). */
function measure(value: unknown, twoByteAware: boolean): number {
  // Envelopes and outcomes are one string: sized with no walk and nothing allocated.
  if (typeof value === "string") return 2 + stringSize(value, twoByteAware);
  // Primitives are counted where they are met; only containers wait on the stack.
  const pending: object[] = [];
  let bytes = 2 + count(value, pending, twoByteAware); // header: format tag and version
  while (pending.length > 0) {
    const current = pending.pop() as object;
    if (Array.isArray(current)) {
      // Dense: tag, length, elements, end tag, property count, length.
      bytes += 3 + 2 * varintSize(current.length);
      if (current.length > 0 && typeof current[0] === "number" && current.every((item) => typeof item === "number")) {
        // V8 may hold an array of numbers as doubles, even all-integer ones
        // (its allocation sites remember doubles seen before), and then
        // sends every element as one; count them so.
        bytes += current.length * DOUBLE;
      } else {
        for (let i = 0; i < current.length; i++) bytes += count(current[i], pending, twoByteAware);
      }
    } else {
      const keys = Object.keys(current);
      // Tag, end tag, property count, and the few bytes more workerd was measured to write for some objects.
      bytes += 2 + varintSize(keys.length) + OBJECT_SLACK;
      for (const key of keys) bytes += stringSize(key, twoByteAware) + count((current as Record<string, unknown>)[key], pending, twoByteAware);
    }
  }
  return bytes;
}

/** The bytes of a primitive; a container counts nothing yet and waits on `pending`. */
function count(item: unknown, pending: object[], twoByteAware: boolean): number {
  if (typeof item === "string") return stringSize(item, twoByteAware);
  if (typeof item === "number") return isSmallInteger(item) ? 1 + varintSize(Math.abs(item) * 2) : DOUBLE;
  if (typeof item === "object" && item !== null) {
    pending.push(item);
    return 0;
  }
  return 1; // null, undefined, true, false: one tag byte
}

/** A double: tag and eight bytes. */
const DOUBLE = 9;
/** Measured: workerd writes up to 8 bytes more than V8's format says for an object with at most one property. */
const OBJECT_SLACK = 8;

/** Whether V8 holds `n` as a small integer (31 bits with pointer compression), sent as a zigzag varint. */
function isSmallInteger(n: unknown): boolean {
  return typeof n === "number" && Number.isInteger(n) && !Object.is(n, -0) && n >= -(2 ** 30) && n < 2 ** 30;
}

function stringSize(text: string, twoByteAware: boolean): number {
  const length = text.length;
  // Two-byte strings carry one padding byte at most, to align their characters.
  return twoByteAware && TWO_BYTE.test(text) ? 2 + varintSize(length * 2) + length * 2 : 1 + varintSize(length) + length;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}
