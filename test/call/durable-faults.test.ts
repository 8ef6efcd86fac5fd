/**
 * Issue 13: a durable call's continuation runs exactly once across real
 * faults: the caller aborted (`ctx.abort()`, a crash) before the reply, or
 * as the reply arrives; the reply delivered twice; the reply racing the
 * deadline in both orders, and arriving after the deadline answered; the
 * remote aborted before or after accepting; every object aborted at once.
 * Every continuation records itself durably (`ProbeDO.recordDurably`), so
 * the counts survive the aborts.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Chain } from "../../lib/chains";
import type { ProbeDO, SettleArgs } from "../fixtures/probe";
import { isClean, storedState } from "../harness";
import { muteLogs } from "../logs";
import { waitForAtLeast } from "../wait";
import { freshProbe, inProbe, sleep } from "../harness";

muteLogs();

/** A fresh stub each time: an aborted object breaks the stubs that reached it. */
const probe = (name: string) => env.PROBE.getByName(name);

/** The durable log of `name`, once it holds at least `count` lines. */
const linesOf = (name: string, count: number, timeout = 15_000) => waitForAtLeast(() => probe(name).durableDeliveries(), count, "continuations", timeout);

/** Aborts one object as a crash would: what it was running dies with it. */
async function crash(name: string): Promise<void> {
  await runInDurableObject(probe(name), (_probe: ProbeDO, state) => state.abort("injected fault")).catch(() => undefined);
}

/** Waits until `name` holds no pending outcome and no platform alarm. */
function cleanUp(name: string): Promise<unknown> {
  return waitForAtLeast(async () => {
    const state = await storedState(probe(name));
    return isClean(state) ? [state] : [];
  }, 1, "clean callers");
}

/**
 * Waits for `caller`'s one continuation, checks it against `expected`, then
 * checks that nothing runs it again and that `caller` ends clean. Returns
 * the line.
 */
async function ranOnce(caller: string, expected: string | RegExp): Promise<string> {
  const [line] = await linesOf(caller, 1);
  if (typeof expected === "string") expect(line).toBe(expected);
  else expect(line).toMatch(expected);
  await sleep(300); // a repeat would show up here
  expect(await probe(caller).durableDeliveries()).toEqual([line]);
  await cleanUp(caller);
  return line;
}

/** Makes one durable call from `caller`: `remote` of a ProbeDO, recorded durably under `tag`. */
function callFrom(caller: string, target: string, remote: (chain: Chain<ProbeDO>) => Chain<unknown>, tag: string, timeout = 20_000): Promise<string> {
  return inProbe(probe(caller), (host) => {
    const chain = remote(host.ctn<ProbeDO>());
    return host.lmz.call("PROBE", target, chain, host.ctn().recordDurably(chain, tag), { durable: true, timeout });
  });
}

/** What reached `name`'s settle door, as sent, once there is something. */
const settlesOf = (name: string) => waitForAtLeast(async () => (await probe(name).settles()) as SettleArgs[], 1, "deliveries");

describe("durable call: the caller restarts", () => {
  it("runs the continuation once when the caller is aborted while the remote works", async () => {
    const caller = freshProbe("df-caller-aborted").name;
    const target = freshProbe("df-caller-aborted-target").name;
    await callFrom(caller, target, (t) => t.sleepAndNote(600, "slow"), "slow");
    await linesOf(target, 1); // the remote has the call, and runs it
    await crash(caller);
    await ranOnce(caller, 'slow: "slept 600"');
  });

  it("runs the continuation once when the caller is evicted while the remote works: it waits for nothing, so nothing keeps it in memory", async () => {
    const caller = freshProbe("df-caller-evicted").name;
    const target = freshProbe("df-caller-evicted-target").name;
    await callFrom(caller, target, (t) => t.sleepAndNote(600, "slow"), "slow");
    await linesOf(target, 1);
    await evictDurableObject(probe(caller));
    await ranOnce(caller, 'slow: "slept 600"');
  });

  it("runs each continuation once, with the result or a TimeoutError, when the caller is aborted as it hands the calls over", async () => {
    const caller = freshProbe("df-caller-aborted-at-once").name;
    const targets = Array.from({ length: 5 }, (_, i) => freshProbe(`df-caller-aborted-at-once-target-${i}`).name);
    await inProbe(probe(caller), (host) => {
      for (let i = 0; i < 50; i++) {
        const remote = host.ctn<ProbeDO>().sleep(i * 5);
        host.lmz.call("PROBE", targets[i % 5], remote, host.ctn().recordDurably(remote, `call-${i}`), { durable: true, timeout: 1_500 });
      }
    });
    await crash(caller);
    const lines = await linesOf(caller, 50);
    await sleep(500);
    const final = await probe(caller).durableDeliveries();
    expect(final).toEqual(lines);
    expect(new Set(final.map((line) => line.slice(0, line.indexOf(":")))).size).toBe(50);
    for (const line of final) expect(line).toMatch(/^call-\d+: ("slept \d+"|TimeoutError: Durable call .* got no result within 1500 ms\.)$/);
    console.info(`[durable abort at hand-over] 50 calls: ${final.filter((line) => line.includes("slept")).length} results, ${final.filter((line) => line.includes("TimeoutError")).length} TimeoutErrors, 0 lost, 0 twice.`);
    await cleanUp(caller);
  });

  it("runs it once when the caller crashes as the reply arrives: the remote delivers again", async () => {
    const caller = freshProbe("df-crash-on-settle").name;
    const target = freshProbe("df-crash-on-settle-target").name;
    await probe(caller).crashOnNextSettle();
    await callFrom(caller, target, (t) => t.square(5), "square");
    await ranOnce(caller, "square: 25");
  });
});

describe("durable call: the reply arrives twice, or races the deadline", () => {
  it("ignores the reply delivered a second time, before and after the caller restarts", async () => {
    const caller = freshProbe("df-twice").name;
    const target = freshProbe("df-twice-target").name;
    await callFrom(caller, target, (t) => t.square(6), "square");
    expect(await linesOf(caller, 1)).toEqual(["square: 36"]);
    const [first] = await settlesOf(caller);
    expect(await probe(caller).__settle(first.id, first.token, first.outcome)).toBe(false);
    await crash(caller);
    expect(await probe(caller).__settle(first.id, first.token, first.outcome)).toBe(false);
    await ranOnce(caller, "square: 36");
  });

  it("answers with a TimeoutError at the deadline, once, and refuses the reply that comes after", async () => {
    const caller = freshProbe("df-deadline-first").name;
    const target = freshProbe("df-deadline-first-target").name;
    const callId = await callFrom(caller, target, (t) => t.sleep(1_500), "late", 300);
    const timedOut = `late: TimeoutError: Durable call ${callId} to "PROBE" instance "${target}" (sleep(…)) got no result within 300 ms.`;
    expect(await linesOf(caller, 1)).toEqual([timedOut]);
    // The reply comes home after the deadline and finds nothing to settle.
    const [late] = await settlesOf(caller);
    expect(late.id).toBe(callId);
    expect(await probe(caller).__settle(late.id, late.token, late.outcome)).toBe(false);
    await ranOnce(caller, timedOut);
  });

  it("ignores the deadline when the reply came first", async () => {
    const caller = freshProbe("df-reply-first").name;
    const target = freshProbe("df-reply-first-target").name;
    const deadline = Date.now() + 1_500;
    await callFrom(caller, target, (t) => t.square(3), "square", 1_500);
    expect(await linesOf(caller, 1)).toEqual(["square: 9"]);
    expect(await inProbe(probe(caller), (host) => host.lmz.alarms.triggerAlarms(1))).toEqual([]);
    await sleep(Math.max(0, deadline - Date.now()) + 300); // past the deadline: had the alarm stayed, it would have fired by now
    await ranOnce(caller, "square: 9");
  });

  it("runs each of 200 continuations once when replies and deadlines race, with the result or a TimeoutError", async () => {
    const caller = freshProbe("df-race").name;
    const targets = Array.from({ length: 10 }, (_, i) => freshProbe(`df-race-target-${i}`).name);
    await inProbe(probe(caller), (host) => {
      for (let i = 0; i < 200; i++) {
        // Remotes answer from 0 to about 2 s, around a 1 s deadline (wide, for a loaded machine).
        const remote = host.ctn<ProbeDO>().sleep((i * 53) % 2_000);
        host.lmz.call("PROBE", targets[i % 10], remote, host.ctn().recordDurably(remote, `call-${i}`), { durable: true, timeout: 1_000 });
      }
    });
    const lines = await linesOf(caller, 200, 20_000);
    await sleep(2_200); // every late reply has come home by now
    const final = await probe(caller).durableDeliveries();
    expect(final).toHaveLength(200);
    const tags = final.map((line) => line.slice(0, line.indexOf(":")));
    expect(new Set(tags).size).toBe(200);
    const results = final.filter((line) => /: "slept \d+"$/.test(line));
    const timeouts = final.filter((line) => /: TimeoutError: Durable call .* got no result within 1000 ms\.$/.test(line));
    expect(results.length + timeouts.length).toBe(200);
    expect(results.length).toBeGreaterThan(0);
    expect(timeouts.length).toBeGreaterThan(0);
    expect(lines.length).toBe(200);
    console.info(`[durable race] 200 calls: ${results.length} results, ${timeouts.length} TimeoutErrors, 0 twice.`);
    await cleanUp(caller);
  });
});

describe("durable call: the remote fails", () => {
  it.each([
    { when: "before accepting it: the chain runs once", crash: "crashOnNextAccept", runs: 1 },
    { when: "after accepting it, before acknowledging: the chain runs twice, with the same this.lmz.callId (at least once)", crash: "crashAfterNextAccept", runs: 2 },
  ] as const)("hands the call over again when the remote crashes $when", async ({ crash: mode, runs }) => {
    const caller = freshProbe(`df-${mode}`).name;
    const target = freshProbe(`df-${mode}-target`).name;
    await probe(target)[mode]();
    const callId = await callFrom(caller, target, (t) => t.sleepAndNote(0, "x"), "x");
    await ranOnce(caller, 'x: "slept 0"');
    expect(await probe(target).durableDeliveries()).toEqual(Array(runs).fill(`ran x: "${callId}"`));
  });

  it("answers once with a TimeoutError when the remote crashes after accepting", async () => {
    const caller = freshProbe("df-remote-after").name;
    const target = freshProbe("df-remote-after-target").name;
    await callFrom(caller, target, (t) => t.sleepAndNote(3_000, "lost"), "lost", 1_000);
    await linesOf(target, 1);
    await crash(target);
    await ranOnce(caller, /^lost: TimeoutError: Durable call .* got no result within 1000 ms\.$/);
  });
});

describe("durable call: every object aborted at once", () => {
  it("runs each continuation once, with the result or a TimeoutError, when every object is aborted mid-flight", async () => {
    const caller = freshProbe("df-all").name;
    const targets = Array.from({ length: 10 }, (_, i) => freshProbe(`df-all-target-${i}`).name);
    await inProbe(probe(caller), (host) => {
      for (let i = 0; i < 100; i++) {
        const remote = host.ctn<ProbeDO>().sleep(i % 2 === 0 ? 2_000 : (i * 7) % 200);
        host.lmz.call("PROBE", targets[i % 10], remote, host.ctn().recordDurably(remote, `call-${i}`), { durable: true, timeout: 1_500 });
      }
    });
    await linesOf(caller, 10); // some have come home, the 2 s ones surely not
    await abortAllDurableObjects();
    // The remotes died with their work; the caller's alarm answers for them at the deadline.
    const lines = await linesOf(caller, 100, 20_000);
    await sleep(500);
    const final = await probe(caller).durableDeliveries();
    expect(final).toEqual(lines);
    const tags = final.map((line) => line.slice(0, line.indexOf(":")));
    expect(new Set(tags).size).toBe(100);
    const results = final.filter((line) => /: "slept \d+"$/.test(line));
    const timeouts = final.filter((line) => /: TimeoutError: /.test(line));
    expect(results.length + timeouts.length).toBe(100);
    expect(timeouts.length).toBeGreaterThanOrEqual(50);
    console.info(`[durable abort-all] 100 calls: ${results.length} results, ${timeouts.length} TimeoutErrors, 0 lost, 0 twice.`);
    await cleanUp(caller);
  });
});
