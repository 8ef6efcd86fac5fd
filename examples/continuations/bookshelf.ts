import { ctn, executeOperationChain, getOperationChain, placeholder } from "lumenize-do";

/** A plain class: anything can be the target of a chain. */
export class Bookshelf {
  #books = new Map<string, { title: string; author: string }>([["b1", { title: "Dune", author: "Herbert" }]]);

  async getBook(id: string) {
    const book = this.#books.get(id);
    if (!book) throw new RangeError(`No book "${id}" on this shelf.`);
    return { ...book, shout: () => book.title.toUpperCase() };
  }

  count(): number {
    return this.#books.size;
  }

  describe(count: number, label: string): string {
    return `${label}: ${count} book(s)`;
  }

  report(result: number | Error): string {
    return result instanceof Error ? `failed: ${result.message}` : `got ${result}`;
  }
}

/** 1. Record: the proxy writes down reads and calls instead of doing them. */
export function recordAChain() {
  const chain = ctn<Bookshelf>().getBook("b1").shout();
  return getOperationChain(chain);
  // → [ { type: "get", key: "getBook" }, { type: "apply", args: [{ value: "b1" }] },
  //     { type: "get", key: "shout" },   { type: "apply", args: [] } ]
}

/** 2. Run: later, elsewhere, against a real target. Promises are awaited between steps. */
export async function runAChain(): Promise<unknown> {
  const chain = getOperationChain(ctn<Bookshelf>().getBook("b1").shout());
  return executeOperationChain(chain, new Bookshelf()); // → "DUNE"
}

/** 3. Nest: a chain as an argument runs first, on the same target. */
export async function nestChains(): Promise<unknown> {
  const shelf = ctn<Bookshelf>();
  const chain = getOperationChain(shelf.describe(shelf.count(), "Shelf"));
  return executeOperationChain(chain, new Bookshelf()); // → "Shelf: 1 book(s)"
}

/** 4. Placeholder: mark where a result delivered later goes (here, by hand). */
export async function fillAPlaceholder(result: number | Error): Promise<unknown> {
  const chain = getOperationChain(ctn<Bookshelf>("continuation").report(placeholder<number | Error>()));
  return executeOperationChain(chain, new Bookshelf(), { result }); // → "got 42" or "failed: …"
}
