/**
 * Every error class the package exports names its instances with a string
 * literal equal to the class's exported name. The minified-bundle check
 * (scripts/minified-check.mjs) shows the same names survive a minifier that
 * renames the classes themselves.
 */
import { describe, expect, it } from "vitest";
import * as lumenize from "lumenize-do";
import { LumenizeError } from "lumenize-do";

type ErrorClass = new (message: string) => Error;
const errorClasses = (Object.entries(lumenize) as [string, unknown][]).filter(
  (entry): entry is [string, ErrorClass] => typeof entry[1] === "function" && entry[1].prototype instanceof LumenizeError,
);

describe("error names", () => {
  it("finds the error classes of every capability", () => {
    expect(errorClasses.map(([name]) => name).sort()).toEqual([
      "AlarmsError",
      "CallError",
      "ConfigurationError",
      "DataCloneError",
      "InvalidInputError",
      "OperationChainError",
      "ProxyFetchError",
      "TimeoutError",
    ]);
  });

  it.each(errorClasses)("%s names its instances after the class", (name, ErrorClass) => {
    // DataCloneError takes its code first.
    const error = name === "DataCloneError" ? new lumenize.DataCloneError("MALFORMED", "m") : new ErrorClass("m");
    expect(error.name).toBe(name);
    expect(Object.getOwnPropertyDescriptor(error, "name")?.value).toBe(name);
  });
});
