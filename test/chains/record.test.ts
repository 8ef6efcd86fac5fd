import { describe, expect, it } from "vitest";
import { ctn, getOperationChain, placeholder } from "../../lib/chains";

interface Profile {
  update(patch: { name: string }): Promise<Profile>;
  name: string;
}
interface Library {
  getUser(id: string): Promise<{ profile: Profile }>;
  count: number;
}

describe("ctn() records", () => {
  it("property reads and calls as plain data", () => {
    const chain = getOperationChain(ctn<Library>().getUser("u1").profile.update({ name: "Ada" }));
    expect(chain).toEqual([
      { type: "get", key: "getUser" },
      { type: "apply", args: [{ value: "u1" }] },
      { type: "get", key: "profile" },
      { type: "get", key: "update" },
      { type: "apply", args: [{ value: { name: "Ada" } }] },
    ]);
    // Plain data: JSON can carry it unchanged.
    expect(JSON.parse(JSON.stringify(chain))).toEqual(chain);
  });

  it("nested chains in arguments as { chain }", () => {
    const inner = ctn<Library>().count;
    const chain = getOperationChain(ctn<{ add(n: number): number }>().add(inner));
    expect(chain?.[1]).toEqual({ type: "apply", args: [{ chain: [{ type: "get", key: "count" }] }] });
  });

  it("result placeholders as { placeholder: true }", () => {
    const chain = getOperationChain(ctn<{ done(n: number): void }>("continuation").done(placeholder<number>()));
    expect(chain?.[1]).toEqual({ type: "apply", args: [{ placeholder: true }] });
  });

  it("wraps user data that looks like a marker so it stays data", () => {
    const chain = getOperationChain(ctn<{ save(x: unknown): void }>().save({ placeholder: true }));
    expect(chain?.[1]).toEqual({ type: "apply", args: [{ value: { placeholder: true } }] });
  });

  it("each step as a new chain, so a shared prefix can branch", () => {
    const user = ctn<Library>().getUser("u1");
    const a = getOperationChain(user.profile.name);
    const b = getOperationChain(user.profile);
    expect(a).toHaveLength(4);
    expect(b).toHaveLength(3);
  });

  it("is not a thenable, so awaiting a chain by mistake records nothing", async () => {
    const chain = ctn<Library>().count;
    expect((chain as unknown as { then?: unknown }).then).toBeUndefined();
    const awaited = await chain;
    expect(getOperationChain(awaited)).toEqual([{ type: "get", key: "count" }]);
  });

  it("recognises only its own proxies", () => {
    expect(getOperationChain([{ type: "get", key: "x" }])).toBeUndefined();
    expect(getOperationChain(() => 1)).toBeUndefined();
    expect(getOperationChain(null)).toBeUndefined();
  });
});
