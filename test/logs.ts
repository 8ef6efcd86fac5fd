import { afterEach, beforeEach, vi, type MockInstance } from "vitest";

/** The spies {@link muteLogs} installs, renewed for each test. */
export interface MutedLogs {
  readonly errors: MockInstance<typeof console.error>;
  readonly warnings: MockInstance<typeof console.warn>;
}

/**
 * Mutes `console.error` and `console.warn` in every test of the file (the
 * library logs each refused delivery, retry and dropped handler): the calls
 * stay readable on the returned spies.
 */
export function muteLogs(): MutedLogs {
  const spies = {} as { errors: MutedLogs["errors"]; warnings: MutedLogs["warnings"] };
  beforeEach(() => {
    spies.errors = vi.spyOn(console, "error").mockImplementation(() => {});
    spies.warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    get errors() {
      return spies.errors;
    },
    get warnings() {
      return spies.warnings;
    },
  };
}
