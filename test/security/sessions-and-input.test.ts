import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { api, runTag, startTestBackend, testConfig } from "../backend/backend-harness.ts";

const login = (base: string, username: string, password: string, ip: string) =>
  fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ username, password }),
  });

describe.runIf(postgresAvailable())("sessions, lockout and hostile input", () => {
  let be: RunningBackend;
  let drop: () => Promise<void>;
  const tag = runTag();
  const counts = async () => {
    const p = be.ctx.db.prisma;
    return {
      users: await p.user.count(),
      cameras: await p.camera.count(),
      edges: await p.edgeWorker.count(),
      shops: await p.shop.count(),
      audit: await p.auditEntry.count(),
    };
  };

  beforeAll(async () => {
    const t = await createTestDatabase("cw_sessions");
    drop = t.drop;
    // The tests pick client addresses with X-Forwarded-For, so loopback is named as a trusted proxy here.
    be = await startTestBackend(testConfig({ databaseUrl: t.url, group: tag, extra: { server: { host: "127.0.0.1", port: 0, trustProxy: ["loopback"] } } }));
    await api(be.url, "PUT", "/users/op1", { as: "admin", body: { name: "坐席", role: "operator", password: testPassword("op1") } });
  });
  afterAll(async () => {
    await be?.close();
    await drop?.();
  });

  it("sets an HttpOnly, SameSite=Strict session cookie and forces a one-time password to be changed first", async () => {
    const r = await login(be.url, "op1", testPassword("op1"), "198.51.100.1");
    expect(r.status).toBe(200);
    expect(r.headers.get("set-cookie")).toMatch(/^cw_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    const body = await r.json();
    expect(body.user).toEqual({ id: "op1", username: "op1", name: "坐席", role: "operator", mustChangePassword: true });
    const cookie = r.headers.get("set-cookie")!.split(";")[0];
    const blocked = await fetch(`${be.url}/api/cases`, { headers: { cookie } });
    expect(blocked.status, "nothing but the password change before it is done").toBe(403);
    expect((await fetch(`${be.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    const weak = await fetch(`${be.url}/api/auth/password`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ currentPassword: testPassword("op1"), newPassword: "short" }),
    });
    expect(weak.status).toBe(422);
  });

  it("refuses tampered, revoked, idle and expired sessions", async () => {
    const cookie = await loginAs(be.url, "admin", { fresh: true });
    const me = (c: string) => fetch(`${be.url}/api/auth/me`, { headers: { cookie: c } }).then((r) => r.status);
    expect(await me(cookie)).toBe(200);
    const token = cookie.split("=")[1];
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect(await me(`cw_session=${flipped}`), "one character changed").toBe(401);
    expect(await me("cw_session=admin"), "a guessable value").toBe(401);
    const sessions = be.ctx.db.prisma.session;
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha256").update(token).digest("hex");
    expect(await sessions.count({ where: { tokenHash: token } }), "the token itself is not stored").toBe(0);
    await sessions.update({ where: { tokenHash: hash }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    expect(await me(cookie), "idle for longer than the idle timeout").toBe(401);
    const c2 = await loginAs(be.url, "admin", { fresh: true });
    const h2 = createHash("sha256").update(c2.split("=")[1]).digest("hex");
    await sessions.update({ where: { tokenHash: h2 }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await me(c2), "past the absolute expiry").toBe(401);
    await loginAs(be.url, "admin", { fresh: true });
  });

  it("locks the guessing address out of an account, with the same answer for unknown users, and Retry-After; the owner elsewhere still logs in", async () => {
    const unknown = await login(be.url, "nobody-here", "whatever-password", "203.0.113.9");
    const wrong = await login(be.url, "op1", "whatever-password", "203.0.113.9");
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(await unknown.json()).toEqual(await wrong.json());
    for (let i = 0; i < 5; i++) expect((await login(be.url, "op1", `wrong-${i}`, "203.0.113.20")).status).toBe(401);
    const locked = await login(be.url, "op1", testPassword("op1"), "203.0.113.20");
    expect(locked.status, "even the right password waits while this address is locked out of the account").toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(be.url, "op1", testPassword("op1"), "203.0.113.50")).status, "the account itself is not locked").toBe(200);
    // Per address as well: one address spraying many usernames is slowed down too.
    for (let i = 0; i < 10; i++) await login(be.url, `spray-${i}`, "x", "203.0.113.99");
    expect((await login(be.url, "admin", testPassword("admin"), "203.0.113.99")).status).toBe(429);
    await be.ctx.db.prisma.loginThrottle.deleteMany({});
  });

  it("answers bad input with a 4xx and a reason, and writes nothing", async () => {
    const admin = await loginAs(be.url, "admin");
    const before = await counts();
    const send = async (method: string, path: string, body: string, type = "application/json") => {
      const r = await fetch(`${be.url}/api${path}`, { method, headers: { cookie: admin, "content-type": type }, body });
      return { status: r.status, body: await r.json().catch(() => null) };
    };
    const cases: [string, string, string, string?][] = [
      ["PUT", "/cameras/cam-1", JSON.stringify({ name: 5 })], // wrong type
      ["PUT", "/cameras/cam-1", JSON.stringify({ name: "x", isAdmin: true })], // unknown field
      ["PUT", "/cameras/cam-1", JSON.stringify({ name: "x", streamUrl: "file:///etc/passwd" })], // not rtsp
      [
        "PUT",
        "/cameras/cam-1",
        JSON.stringify({
          name: "x",
          zones: [
            {
              id: "z",
              polygon: [
                [0, 0],
                [1, 1],
                [0.5, 0.5],
              ],
              rules: [],
            },
          ],
        }),
      ], // degenerate zone
      ["PUT", "/cameras/..%2F..%2Fetc", JSON.stringify({ name: "x" })], // traversal in an id
      ["PUT", '/users/x\';DROP TABLE "User";--', JSON.stringify({ name: "x", role: "operator", password: "Aa1!aaaaaaaaaaa" })], // SQL in an id
      ["PUT", "/users/eve", JSON.stringify({ name: "x", role: "root", password: "Aa1!aaaaaaaaaaa" })], // unknown enum
      ["PUT", "/shops/s1", JSON.stringify({ name: "x".repeat(2_000_000), address: "y" })], // huge body
      ["PUT", "/shops/s1", "{not json"], // broken JSON
      ["PUT", "/shops/s1", "name=x&address=y", "application/x-www-form-urlencoded"], // a cross-site form
      ["POST", "/edges", JSON.stringify({ id: "../../x", name: "e" })],
    ];
    for (const [method, path, body, type] of cases) {
      const r = await send(method, path, body, type);
      expect(r.status, `${method} ${path} ${body.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${path}`).toBeLessThan(500);
      expect(typeof r.body?.error, `${method} ${path} gives a reason`).toBe("string");
      expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack traces
    }
    const sqlish = await fetch(`${be.url}/api/cases?cameraId=${encodeURIComponent("' OR 1=1 --")}`, { headers: { cookie: admin } });
    expect(sqlish.status).toBe(200);
    expect((await sqlish.json()).total).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("refuses evidence names that are not a sha256 and edges that upload for cameras not theirs", async () => {
    const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: "edge-a", name: "A" } })).body;
    const creds = (await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).body;
    expect((await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).status, "a token works once").toBe(401);
    const put = (name: string, camera: string) =>
      fetch(`${be.url}/api/evidence/${name}`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${creds.apiToken}`,
          "content-type": "image/jpeg",
          "x-curbwatch-candidate": "cand-0001",
          "x-curbwatch-camera": camera,
          "x-curbwatch-evidence-kind": "snapshot_start",
        },
        body: "abc",
      });
    const sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    for (const name of ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fsecret", sha.toUpperCase()])
      expect((await put(name, "cam-x")).status, name).toBeGreaterThanOrEqual(400);
    expect((await put(sha, "someone-elses-camera")).status).toBe(403);
    const anon = await fetch(`${be.url}/api/evidence/${sha}`, { method: "PUT", headers: { "content-type": "image/jpeg" }, body: "abc" });
    expect(anon.status).toBe(401);
    expect(await be.ctx.db.prisma.evidence.count()).toBe(0);
  });
});
