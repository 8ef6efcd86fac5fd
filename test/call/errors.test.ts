import { describe, expect, it, vi } from "vitest";
import { CallError, DataCloneError, OperationChainError } from "../../lib";
import type { ProbeDO } from "../fixtures/probe";
import { freshProbe, inProbe, sleep } from "../harness";
import { deliveriesOf } from "./harness";

describe("errors reach the caller where it will see them", () => {
  it("delivers a remote throw with name, message, stack, cause and extra properties", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().fail("bad email");
      probe.lmz.call("PROBE", "failing-target", remote, probe.ctn().record(remote, "fail"));
    });
    const error = (await deliveriesOf(stub, 1))[0].result as Error & { field: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe("bad email");
    expect(error.field).toBe("email");
    expect(error.stack).toMatch(/fail/);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe("underlying cause");
  });

  it("throws at the call site for an unknown binding, and sends nothing", async () => {
    const { stub } = freshProbe();
    const thrown = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(2);
      try {
        probe.lmz.call("NOPE", "x", remote, probe.ctn().record(remote, "never"));
      } catch (error) {
        return error as Error;
      }
    });
    expect(thrown).toBeInstanceOf(CallError);
    expect(thrown?.message).toMatch(/Unknown binding "NOPE".*PROBE/);
    await sleep(50);
    expect(await inProbe(stub, (probe) => probe.deliveries().length)).toBe(0);
  });

  it("throws at the call site for a binding that is neither a DO namespace nor a service", async () => {
    const { stub } = freshProbe();
    const message = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(2);
      try {
        probe.lmz.call("PLAIN_VAR", "x", remote, probe.ctn().record(remote, "never"));
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(message).toMatch(/"PLAIN_VAR" is neither a Durable Object namespace nor a service binding/);
  });

  it("throws at the call site for a target that does not fit the binding", async () => {
    const { stub } = freshProbe();
    const messages = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().square(2);
      const attempt = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          return (error as Error).message;
        }
      };
      return [
        attempt(() => probe.lmz.call("PROBE", undefined, remote, probe.ctn().record(remote, "x"))),
        attempt(() => probe.lmz.call("GREETER", "instance", remote, probe.ctn().record(remote, "x"))),
      ];
    });
    expect(messages[0]).toMatch(/pass an instance name or a DurableObjectId/);
    expect(messages[1]).toMatch(/service binding .* pass undefined/);
  });

  it("throws at the call site for a non-serializable argument", async () => {
    const { stub } = freshProbe();
    const thrown = await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().echo({ handler: () => 1 });
      try {
        probe.lmz.call("PROBE", "x", remote, probe.ctn().record(remote, "never"));
      } catch (error) {
        return error as DataCloneError;
      }
    });
    expect(thrown).toBeInstanceOf(DataCloneError);
    expect(thrown?.message).toMatch(/function/i);
  });

  it("throws at the call site for a continuation without the result placeholder", async () => {
    const { stub } = freshProbe();
    const thrown = await inProbe(stub, (probe) => {
      try {
        probe.lmz.call("PROBE", "x", probe.ctn<ProbeDO>().square(2), probe.ctn().record(1, "no placeholder"));
      } catch (error) {
        return error as Error;
      }
    });
    expect(thrown).toBeInstanceOf(CallError);
    expect(thrown?.message).toMatch(/no result placeholder/);
  });

  it("delivers an unknown remote method as an Error naming it", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a typo the types refuse
      const remote = (probe.ctn<ProbeDO>() as any).sqare(2);
      probe.lmz.call("PROBE", "typo-target", remote, probe.ctn().record(remote, "typo"));
    });
    const error = (await deliveriesOf(stub, 1))[0].result as Error;
    expect(error.name).toBe(OperationChainError.name);
    expect(error.message).toMatch(/no member "sqare"/);
  });

  it("delivers a refused member as an Error, without touching it", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a member the types hide
      const remote = (probe.ctn<ProbeDO>() as any).ctx.storage.deleteAll();
      probe.lmz.call("PROBE", "refusing-target", remote, probe.ctn().record(remote, "refused"));
    });
    const error = (await deliveriesOf(stub, 1))[0].result as Error;
    expect(error.message).toMatch(/refused at step 0 .*"ctx" is never reachable/);
  });

  it("delivers a non-serializable result as an Error", async () => {
    const { stub } = freshProbe();
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().returnsFunction();
      probe.lmz.call("PROBE", "fn-target", remote, probe.ctn().record(remote, "fn"));
    });
    const error = (await deliveriesOf(stub, 1))[0].result as Error;
    expect(error.message).toMatch(/result of returnsFunction\(…\) could not be sent back/);
  });

  it("reports a throwing continuation with its call id, never retries it, and other calls go on", async () => {
    const { stub } = freshProbe();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const ids = await inProbe(stub, (probe) => {
        const a = probe.ctn<ProbeDO>().square(2);
        const b = probe.ctn<ProbeDO>().square(3);
        return [
          probe.lmz.call("PROBE", "explode-target", a, probe.ctn().explode(a, "explodes")),
          probe.lmz.call("PROBE", "explode-target", b, probe.ctn().record(b, "fine")),
        ];
      });
      const deliveries = await deliveriesOf(stub, 2);
      await sleep(100);
      expect(await inProbe(stub, (probe) => probe.deliveries())).toEqual(expect.arrayContaining(deliveries));
      expect(deliveries.map((d) => d.tag).sort()).toEqual(["explodes", "fine"]);
      expect(logged.mock.calls.some(([message]) => String(message).includes(ids[0]))).toBe(true);
    } finally {
      logged.mockRestore();
    }
  });
});
