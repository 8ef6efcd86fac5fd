// @ungap/structured-clone 1.4 ships no types for its JSON entry point.
declare module "@ungap/structured-clone/json" {
  export function stringify(value: unknown): string;
  export function parse(text: string): unknown;
}
