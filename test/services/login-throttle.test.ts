// Fast tests of the login backoff: counters in memory, time from a fake clock.
import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../../src/backend/auth/login-throttle.ts";
import { staffAccountUnlock, staffLoginKeys } from "../../src/backend/auth/throttle-keys.ts";
import { InMemoryThrottleCounters } from "../support/in-memory/throttle-counters.ts";
import { FakeClock, HOUR, MINUTE, SECOND } from "../support/in-memory/clock.ts";

const policy = { freeFailures: 3, baseLockSeconds: 10, maxLockSeconds: 60 };

function throttle() {
  const clock = new FakeClock();
  return { clock, throttle: new LoginThrottle(new InMemoryThrottleCounters(), policy, clock.now) };
}

describe("login throttle", () => {
  it("lets the free failures pass, then locks for the base time, doubling per failure up to the maximum", async () => {
    const { throttle: t } = throttle();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      await t.recordFailure(["k"]);
      waits.push(await t.waitSeconds(["k"]));
    }
    expect(waits).toEqual([0, 0, 10, 20, 40, 60, 60]);
  });

  it("counts the wait down with the clock and opens when the lock has passed", async () => {
    const { throttle: t, clock } = throttle();
    for (let i = 0; i < 3; i++) await t.recordFailure(["k"]);
    clock.advance(4 * SECOND);
    expect(await t.waitSeconds(["k"])).toBe(6);
    clock.advance(6 * SECOND);
    expect(await t.waitSeconds(["k"])).toBe(0);
  });

  it("answers with the longest wait of the keys asked about", async () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 4; i++) await t.recordFailure(["long"]);
    for (let i = 0; i < 3; i++) await t.recordFailure(["short"]);
    expect(await t.waitSeconds(["short", "long", "unknown"])).toBe(20);
  });

  it("forgets failures an hour old once their lock has passed, so an old typo does not shorten today's allowance", async () => {
    const { throttle: t, clock } = throttle();
    for (let i = 0; i < 2; i++) await t.recordFailure(["k"]);
    clock.advance(HOUR + MINUTE);
    await t.recordFailure(["k"]);
    expect(await t.waitSeconds(["k"])).toBe(0);
    await t.recordFailure(["k"]);
    expect(await t.waitSeconds(["k"])).toBe(0);
  });

  it("gives a wider allowance where the caller asks for one (a shared address)", async () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) await t.recordFailure(["source"], undefined, 6);
    expect(await t.waitSeconds(["source"])).toBe(0);
    await t.recordFailure(["source"], undefined, 6);
    expect(await t.waitSeconds(["source"])).toBe(10);
  });

  it("slows an attacked account step by step without locking it, up to 4 s", async () => {
    const { throttle: t, clock } = throttle();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      await t.recordFailure(["account"]);
      delays.push(await t.delayMs("account"));
    }
    expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    clock.advance(HOUR + MINUTE);
    expect(await t.delayMs("account")).toBe(0);
  });

  it("a successful login resets its key; an administrator's unlock clears the account's keys from every address", async () => {
    const { throttle: t } = throttle();
    const fromA = staffLoginKeys("10.0.0.1", "Alice");
    const fromB = staffLoginKeys("10.0.0.2", "alice");
    const bob = staffLoginKeys("10.0.0.1", "bob");
    for (let i = 0; i < 3; i++) await t.recordFailure([fromA.pair, fromB.pair, fromA.account, bob.pair]);
    await t.reset(fromB.pair);
    expect(await t.waitSeconds([fromB.pair])).toBe(0);
    expect(await t.clear(staffAccountUnlock("ALICE"))).toBe(2);
    expect(await t.waitSeconds([fromA.pair])).toBe(0);
    expect(await t.delayMs(fromA.account)).toBe(0);
    expect(await t.waitSeconds([bob.pair])).toBe(10);
  });
});
