/**
 * The executor's eager form, which the alarms firing pass uses: synchronous
 * until a step gives a promise, the same results and order as
 * `executeOperationChain` otherwise.
 */
import { describe, expect, it } from "vitest";
import { ctn, executeOperationChain, executeOperationChainEagerly, getOperationChain, OperationChainError, type OperationChain } from "../../lib/chains";

class Log {
  readonly events: string[] = [];
  note(tag: string): string {
    this.events.push(tag);
    return tag;
  }
  async later(tag: string): Promise<string> {
    this.events.push(`${tag} start`);
    await scheduler.wait(1);
    this.events.push(`${tag} end`);
    return tag;
  }
  join(...parts: string[]): string {
    return parts.join("+");
  }
}

const ops = (proxy: unknown) => getOperationChain(proxy) as OperationChain;

describe("executeOperationChainEagerly", () => {
  it("returns a synchronous chain's value at once, with no promise", () => {
    const log = new Log();
    expect(executeOperationChainEagerly(ops(ctn<Log>().join(ctn<Log>().note("a"), "b")), log)).toBe("a+b");
    expect(log.events).toEqual(["a"]);
  });

  it("returns a promise from the first step that gives one, and the same value as executeOperationChain", async () => {
    const chain = ops(ctn<Log>().later("x"));
    const log = new Log();
    const eager = executeOperationChainEagerly(chain, log);
    expect(eager).toBeInstanceOf(Promise);
    // The step before the promise ran synchronously.
    expect(log.events).toEqual(["x start"]);
    expect(await eager).toBe(await executeOperationChain(chain, new Log()));
  });

  it("resolves nested chains that await one after another, in argument order, before the call", async () => {
    const log = new Log();
    const chain = ops(ctn<Log>().join(ctn<Log>().note("first"), ctn<Log>().later("a"), ctn<Log>().later("b"), ctn<Log>().note("last")));
    expect(await executeOperationChainEagerly(chain, log)).toBe("first+a+b+last");
    expect(log.events).toEqual(["first", "a start", "a end", "b start", "b end", "last"]);
  });

  it("throws synchronously what a synchronous step throws", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a typo the types refuse
    expect(() => executeOperationChainEagerly(ops((ctn<Log>() as any).nope()), new Log())).toThrow(OperationChainError);
    expect(() => executeOperationChainEagerly("not a chain", new Log())).toThrow(/Malformed operation chain/);
  });

  it("still checks every step after an await", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a member the types refuse
    const chain = ops((ctn<Log>().later("x") as any).constructor);
    await expect(executeOperationChainEagerly(chain, new Log()) as Promise<unknown>).rejects.toThrow(/never reachable/);
  });
});
