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

const SALUTATIONS: Record<string, string> = { en: "Hello", fr: "Bonjour", es: "Hola" };

/** A stateless Lumenize Worker, reached through a service binding. */
export class GreeterWorker extends LumenizeWorker<Env> {
  greet(name: string): string {
    return `Hello, ${name}!`;
  }

  makeGreeting(language: string): Greeting {
    const salutation = SALUTATIONS[language];
    if (!salutation) throw new RangeError(`No greeting for language "${language}"; try ${Object.keys(SALUTATIONS).join(", ")}.`);
    return new Greeting(salutation);
  }
}
