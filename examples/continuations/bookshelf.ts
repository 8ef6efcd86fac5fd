/** A plain class: anything can be the target of a chain. */
export class Bookshelf {
  #books = new Map<string, { title: string; author: string }>([["b1", { title: "Dune", author: "Herbert" }]]);

  // eslint-disable-next-line @typescript-eslint/require-await -- async on purpose: the page shows a chain stepping through a Promise
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
