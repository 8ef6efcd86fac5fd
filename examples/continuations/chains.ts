// The steps of the "Continuations" docs page, each a region the page shows
// with the imports it needs; test/continuations/bookshelf-example.test.ts runs them.
// #region record, run, nest, fill
import { ctn, executeOperationChain, getOperationChain, placeholder } from "lumenize-do";
import { Bookshelf } from "./bookshelf";
// #endregion record, run, nest, fill

// #region record
/** 1. Record: the proxy writes down reads and calls instead of doing them. */
export function recordAChain() {
  const chain = ctn<Bookshelf>().getBook("b1").shout();
  return getOperationChain(chain);
  // → [ { type: "get", key: "getBook" }, { type: "apply", args: [{ value: "b1" }] },
  //     { type: "get", key: "shout" },   { type: "apply", args: [] } ]
}
// #endregion record

// #region run
/** 2. Run: later, elsewhere, against a real target. Promises are awaited between steps. */
export async function runAChain(): Promise<unknown> {
  const chain = getOperationChain(ctn<Bookshelf>().getBook("b1").shout());
  return executeOperationChain(chain, new Bookshelf()); // → "DUNE"
}
// #endregion run

// #region nest
/** 3. Nest: a chain as an argument runs first, on the same target. */
export async function nestChains(): Promise<unknown> {
  const shelf = ctn<Bookshelf>();
  const chain = getOperationChain(shelf.describe(shelf.count(), "Shelf"));
  return executeOperationChain(chain, new Bookshelf()); // → "Shelf: 1 book(s)"
}
// #endregion nest

// #region fill
/** 4. Placeholder: mark where a result delivered later goes (here, by hand). */
export async function fillAPlaceholder(result: number | Error): Promise<unknown> {
  const chain = getOperationChain(ctn<Bookshelf>("continuation").report(placeholder<number | Error>()));
  return executeOperationChain(chain, new Bookshelf(), { result }); // → "got 42" or "failed: …"
}
// #endregion fill
