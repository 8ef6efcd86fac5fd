/**
 * Where in a value something is, as a readable path such as
 * `value.user.callbacks[2]`. The encoder only records, per object, its
 * parent's index and the key it was reached by; the string is built here,
 * and only when an error needs it.
 */

/** A step that is not a property name: into a Map, a Set or a boxed value. */
export interface PathLabel {
  readonly label: string;
}

/** How a value was reached from its parent: a property name, an array index, or a label. */
export type PathKey = string | number | PathLabel;

export const ROOT: PathLabel = { label: "" };
export const MAP_KEY: PathLabel = { label: "<Map key>" };
export const MAP_VALUE: PathLabel = { label: "<Map value>" };
export const SET_ENTRY: PathLabel = { label: "<Set entry>" };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Builds the path of `key` inside the object at `index`.
 * @param parents per object index, the index of the object it was first reached from (-1 for the root)
 * @param keys per object index, the key it was first reached by
 */
export function formatPath(parents: readonly number[], keys: readonly PathKey[], index: number, key: PathKey): string {
  const steps: PathKey[] = [key];
  for (let at = index; at >= 0; at = parents[at]) steps.push(keys[at]);
  let path = "value";
  for (let i = steps.length - 1; i >= 0; i--) path += formatStep(steps[i]);
  return path;
}

/** One step of a path: `.name`, `["odd name"]`, `[3]` or a label. */
export function formatStep(key: PathKey): string {
  if (typeof key === "number") return `[${key}]`;
  if (typeof key === "string") return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return key.label === "" ? "" : `.${key.label}`;
}
