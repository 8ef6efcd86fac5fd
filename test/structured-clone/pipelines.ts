/**
 * The two ways a value goes through structured-clone and comes back: the
 * Intermediate through JSON text (what storage and RPC do), and the string
 * API. Round-trip tests run against both.
 */
import { parse, postprocess, preprocess, stringify, type Intermediate } from "../../lib/structured-clone";

export type RoundTrip = <T>(value: T) => Promise<T>;

export const pipelines: [string, RoundTrip][] = [
  [
    "preprocess → JSON → postprocess",
    async (value) => postprocess(JSON.parse(JSON.stringify(await preprocess(value))) as Intermediate) as never,
  ],
  ["stringify → parse", async (value) => parse(await stringify(value)) as never],
];
