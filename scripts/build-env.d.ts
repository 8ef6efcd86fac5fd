// For the published build only (tsconfig.build.json): what workerd has and
// the Workers runtime types do not declare. lib/ may use it inside function
// bodies, never in its public types: the consumer check (scripts/consumer-check.mjs)
// type-checks dist/ without this file.

/** V8's cap on captured stack frames (structured-clone lowers it while rebuilding Errors). */
interface ErrorConstructor {
  stackTraceLimit: number;
}
