import { LumenizeRpcTarget, LumenizeWorker } from "lumenize-do";

/**
 * An RpcTarget a Worker hands out: the caller gets a stub, and chains can
 * keep walking into it (`makeGreeting("fr").say("Ada")`).
 */
export class Greeting extends LumenizeRpcTarget {
  readonly #salutation: string;

  constructor(salutation: string) {
    super();
    this.#salutation = salutation;
  }

  say(name: string): string {
    return `${this.#salutation}, ${name}!`;
  }
}

// A Map, not an object literal: looked up by a caller's string, an object would also
// answer for "constructor" or "toString" from its prototype.
const SALUTATIONS = new Map([
  ["en", "Hello"],
  ["fr", "Bonjour"],
  ["es", "Hola"],
]);

/** The languages `makeGreeting` knows. */
export const LANGUAGES = [...SALUTATIONS.keys()];

/** A stateless Lumenize Worker, reached through a service binding. */
export class GreeterWorker extends LumenizeWorker<Env> {
  greet(name: string): string {
    return `Hello, ${name}!`;
  }

  makeGreeting(language: string): Greeting {
    const salutation = SALUTATIONS.get(language);
    if (salutation === undefined) throw new RangeError(`No greeting for language "${language}"; try ${LANGUAGES.join(", ")}.`);
    return new Greeting(salutation);
  }
}
