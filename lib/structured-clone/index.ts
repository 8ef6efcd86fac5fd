/**
 * structured-clone: rich JavaScript values to and from a JSON-safe
 * Intermediate form, for SQLite storage and Workers RPC. It keeps what the
 * platform's structuredClone keeps (Map, Set, Date, RegExp, typed arrays,
 * cycles, shared references, Error cause) and more: custom Error names and
 * extra properties, RegExp lastIndex, Headers, URL, Request and Response.
 * Encoding and decoding never recurse, and decoding is safe on untrusted input.
 *
 * @see https://lumenize.dev/docs/foundations/structured-clone
 * @module
 */
export type { Intermediate, Encoded, EncodedObject, Tag } from "./format";
export { preprocess, preprocessSync } from "./preprocess";
export { postprocess } from "./decode";
export { stringify, stringifySync, parse } from "./json";
export { DataCloneError, type DataCloneErrorCode } from "./errors";
