// Fast tests of logins and sessions: accounts and sessions in memory, time from a fake clock.
import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/backend/auth/auth.service.ts";
import { LoginThrottle } from "../../src/backend/auth/login-throttle.ts";
import { hashPassword } from "../../src/backend/auth/password-hashing.ts";
import { DomainError } from "../../src/backend/domain/errors.ts";
import { InMemoryAccounts } from "../support/in-memory/people.ts";
import { InMemoryThrottleCounters } from "../support/in-memory/throttle-counters.ts";
import { FakeClock, HOUR, MINUTE } from "../support/in-memory/clock.ts";

const PASSWORD = "correct horse battery staple";
const client = { ip: "10.0.0.7", userAgent: "test" };
let passwordHash: string;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

function setup() {
  const clock = new FakeClock();
  const accounts = new InMemoryAccounts();
  accounts.add({ id: "olga", role: "operator", passwordHash });
  const throttle = new LoginThrottle(new InMemoryThrottleCounters(), { freeFailures: 3, baseLockSeconds: 30, maxLockSeconds: 300 }, clock.now);
  const auth = new AuthService(accounts, accounts.sessions, throttle, { idleMinutes: 30, absoluteHours: 8 }, clock.now);
  return { clock, accounts, auth };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("sessions", () => {
  it("a login opens a session that resolves to the user until it idles out", async () => {
    const { auth, clock } = setup();
    const { token, user, maxAgeSeconds } = await auth.login("olga", PASSWORD, client);
    expect(user).toMatchObject({ id: "olga", role: "operator" });
    expect(maxAgeSeconds).toBe(8 * 3600);
    clock.advance(29 * MINUTE);
    expect(await auth.resolve(token)).toMatchObject({ id: "olga" });
    // The resolve above counted as activity: another 29 minutes later the session still lives.
    clock.advance(29 * MINUTE);
    expect(await auth.resolve(token)).toMatchObject({ id: "olga" });
    clock.advance(31 * MINUTE);
    expect(await auth.resolve(token)).toBeNull();
  });

  it("ends at its absolute lifetime however active it is", async () => {
    const { auth, clock } = setup();
    const { token } = await auth.login("olga", PASSWORD, client);
    for (let t = 0; t < 8 * HOUR - 20 * MINUTE; t += 20 * MINUTE) {
      clock.advance(20 * MINUTE);
      expect(await auth.resolve(token)).not.toBeNull();
    }
    clock.advance(20 * MINUTE);
    expect(await auth.resolve(token)).toBeNull();
  });

  it("ends at logout, and when the user is deactivated", async () => {
    const { auth, accounts } = setup();
    const first = await auth.login("olga", PASSWORD, client);
    await auth.logout(first.token);
    expect(await auth.resolve(first.token)).toBeNull();
    const second = await auth.login("olga", PASSWORD, client);
    accounts.rows.get("olga")!.active = false;
    expect(await auth.resolve(second.token)).toBeNull();
  });

  it("a password change keeps the session that made it and ends every other", async () => {
    const { auth } = setup();
    const here = await auth.login("olga", PASSWORD, client);
    const elsewhere = await auth.login("olga", PASSWORD, { ip: "10.0.0.8" });
    await auth.changePassword("olga", here.token, PASSWORD, "a completely new passphrase 42");
    expect(await auth.resolve(here.token)).not.toBeNull();
    expect(await auth.resolve(elsewhere.token)).toBeNull();
    expect((await refusal(auth.login("olga", PASSWORD, client))).kind).toBe("unauthenticated");
    expect((await auth.login("olga", "a completely new passphrase 42", client)).user.mustChangePassword).toBe(false);
  });

  it("refuses a wrong current password, an unchanged one and a weak one with their codes", async () => {
    const { auth } = setup();
    const { token } = await auth.login("olga", PASSWORD, client);
    expect((await refusal(auth.changePassword("olga", token, "wrong", "a completely new passphrase 42"))).code).toBe("current_password_wrong");
    expect((await refusal(auth.changePassword("olga", token, PASSWORD, PASSWORD))).code).toBe("password_unchanged");
    expect((await refusal(auth.changePassword("olga", token, PASSWORD, "olga"))).code).toBe("password_too_weak");
    expect(await auth.resolve(token)).not.toBeNull();
  });

  it("an administrator's new password ends all the user's sessions and must be changed at the next login", async () => {
    const { auth } = setup();
    const { token } = await auth.login("olga", PASSWORD, client);
    await auth.setPasswordByAdministrator("olga", "temporary passphrase 2026");
    expect(await auth.resolve(token)).toBeNull();
    expect((await auth.login("olga", "temporary passphrase 2026", client)).user.mustChangePassword).toBe(true);
  });
});

describe("logins", () => {
  it("answers an unknown user and a wrong password alike, then locks the guessing address with Retry-After", async () => {
    const { auth, clock } = setup();
    const unknown = await refusal(auth.login("nobody", PASSWORD, client));
    const wrong = await refusal(auth.login("olga", "wrong", client));
    expect([unknown.kind, unknown.message]).toEqual([wrong.kind, wrong.message]);
    await refusal(auth.login("olga", "wrong", client));
    await refusal(auth.login("olga", "wrong", client));
    const locked = await refusal(auth.login("olga", PASSWORD, client));
    expect(locked.kind).toBe("rate_limited");
    expect(locked.retryAfterSeconds).toBe(30);
    // The owner logs in from elsewhere meanwhile, and from here once the lock has passed.
    expect((await auth.login("olga", PASSWORD, { ip: "10.0.0.9" })).user.id).toBe("olga");
    clock.advance(31_000);
    expect((await auth.login("olga", PASSWORD, client)).user.id).toBe("olga");
  });
});
