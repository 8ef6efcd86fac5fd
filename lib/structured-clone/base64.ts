/**
 * Bytes <-> base64, for ArrayBuffers and bodies. Uses the native
 * `Uint8Array.prototype.toBase64`/`Uint8Array.fromBase64` where the runtime
 * has them (they are far faster), and `btoa`/`atob` otherwise.
 */

interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeBase64Constructor {
  fromBase64?: (text: string) => Uint8Array;
}

const nativeToBase64 = (Uint8Array.prototype as NativeBase64).toBase64;
const nativeFromBase64 = (Uint8Array as NativeBase64Constructor).fromBase64;

// String.fromCharCode takes its bytes as arguments; keep well under the
// engine's argument limit.
const CHUNK = 0x8000;

/** Encodes bytes as standard (padded) base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  if (nativeToBase64 !== undefined) return nativeToBase64.call(bytes);
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

/**
 * Decodes standard base64.
 * @throws whatever the runtime throws for text that is not base64 (SyntaxError or DOMException).
 */
export function base64ToBytes(text: string): Uint8Array {
  if (nativeFromBase64 !== undefined) return nativeFromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
