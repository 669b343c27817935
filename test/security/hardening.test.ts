import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import { topics } from "../../src/contracts/topics.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";
import { loginAs, settledPassword, testPassword } from "../support/login.ts";
import { reportCandidate } from "../backend/case-fixtures.ts";
import { hashPassword } from "../../src/backend/auth/password-hashing.ts";
import type { UserRole } from "../../src/backend/http/actor.ts";

/**
 * What an outside probe of a spawned back end (real PostgreSQL, default settings) found,
 * one finding per test. Requests leave from different loopback addresses (127.0.0.x, a
 * real socket address each, no proxy header), so per-address throttles can be told apart.
 */

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies of many shapes, each asserted where it is read
  json: () => any;
}

const ID_NUMBER = "110101199003071234";
const PHONE = "13812345678";
const HEALTH_PER_MINUTE = 40;

describe.runIf(postgresAvailable())("security hardening on a spawned back end (default settings)", () => {
  let proc: Spawned;
  let drop: () => Promise<void>;
  let db: Database;
  let port = 0;
  let base = "";
  let mqttUrl = "";
  /** Every answer with status >= 400, to check none leaks a stack or a path. */
  const errorAnswers: string[] = [];

  /** One HTTP request from the given local address (default 127.0.0.1). */
  const call = (method: string, p: string, opts: { from?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = opts.body === undefined ? (method === "GET" ? undefined : "{}") : JSON.stringify(opts.body);
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method,
          path: p,
          localAddress: opts.from ?? "127.0.0.1",
          headers: {
            ...(opts.cookie ? { cookie: opts.cookie } : {}),
            ...(body !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
            ...opts.headers,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => {
            if ((res.statusCode ?? 0) >= 400) errorAnswers.push(`${method} ${p} ${res.statusCode} ${text}`);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const login = (username: string, password: string, from: string, headers?: Record<string, string>) =>
    call("POST", "/api/auth/login", { from, body: { username, password }, headers });
  const lookup = (caseNumber: string, accessCode: string, from: string) => call("POST", "/api/public/cases/lookup", { from, body: { caseNumber, accessCode } });

  /** An SSE stream as a user: every `cases` event's changes, collected as they arrive. */
  const openEvents = (cookie: string) =>
    new Promise<{ changes: { caseId: string; action: string }[]; close: () => void }>((resolve, reject) => {
      const changes: { caseId: string; action: string }[] = [];
      const req = http.get({ host: "127.0.0.1", port, path: "/api/events", headers: { cookie, accept: "text/event-stream" } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          buf += d;
          let i: number;
          while ((i = buf.indexOf("\n\n")) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (block.startsWith("retry:") || block.includes("event: ready")) resolve({ changes, close: () => req.destroy() });
            const data = /^event: cases\ndata: (.*)$/m.exec(block)?.[1];
            if (data) changes.push(...(JSON.parse(data).changes as { caseId: string; action: string }[]));
          }
        });
      });
      req.on("error", (err) => (err.message === "socket hang up" ? undefined : reject(err)));
    });

  beforeAll(async () => {
    const t = await createTestDatabase("cw_hardening");
    drop = t.drop;
    let mqttPort: number;
    [port, mqttPort] = await Promise.all([freePort(), freePort()]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-hardening-"));
    proc = spawnCurbwatch(["backend"], {
      env: {
        DATABASE_URL: t.url,
        PORT: String(port),
        HOST: "127.0.0.1",
        MQTT_EMBEDDED_PORT: String(mqttPort),
        CURBWATCH_DATA_DIR: dir,
        LOG_LEVEL: "info",
        DEMO_ENABLED: "false",
        NODE_ENV: "development",
        CURBWATCH_INITIAL_ADMIN_PASSWORD: testPassword("admin"),
        CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "",
        HEALTH_REQUESTS_PER_MINUTE: String(HEALTH_PER_MINUTE),
        TRUST_PROXY: "",
      },
    });
    base = `http://127.0.0.1:${port}`;
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    await waitForHttp(`${base}/api/health`, (s) => s === 200);
    db = await openDatabase({ url: t.url, pgliteDir: "", poolSize: 2, migrate: false });
    // Staff with settled passwords, so each test below stands on its own.
    const staff: [string, UserRole][] = [
      ["op1", "operator"],
      ["off1", "officer"],
      ["aux1", "auxiliary"],
      ["sup1", "supervisor"],
    ];
    for (const [id, role] of staff) {
      await db.prisma.user.create({
        data: { id, username: id, name: id, role, streets: ["人民路"], passwordHash: await hashPassword(testPassword(id)), mustChangePassword: false },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await proc?.stop();
    await drop?.();
  });

  it("makes the administrator change a password that came from the environment at first login", async () => {
    const first = await login("admin", testPassword("admin"), "127.0.0.1");
    expect(first.status, first.text).toBe(200);
    expect(first.json().user.mustChangePassword, "CURBWATCH_INITIAL_ADMIN_PASSWORD is a first-login password").toBe(true);
    const cookie = String(first.headers["set-cookie"]).split(";")[0];
    expect((await call("GET", "/api/cameras", { cookie })).status, "nothing else until it is changed").toBe(403);
    const changed = await call("POST", "/api/auth/password", {
      cookie,
      body: { currentPassword: testPassword("admin"), newPassword: settledPassword("admin") },
    });
    expect(changed.status, changed.text).toBe(204);
    expect((await call("GET", "/api/cameras", { cookie })).status).toBe(200);
  });

  it("ignores a spoofed X-Forwarded-For from loopback: the client address is the socket's", async () => {
    const r = await login("op1", testPassword("op1"), "127.0.0.6", { "x-forwarded-for": "203.0.113.77" });
    expect(r.status, r.text).toBe(200);
    const token = String(r.headers["set-cookie"]).split(";")[0].split("=")[1];
    const { createHash } = await import("node:crypto");
    const session = await db.prisma.session.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(token).digest("hex") } });
    expect(session.ip, "the address lockouts and rate limits see").toBe("127.0.0.6");
  });

  it("keeps staff logins and public look-ups apart, never lets others lock an account or a party out, and lets an administrator unlock", async () => {
    // Five failed look-ups (and a sixth, refused) from one address, then a staff login from there.
    for (let i = 0; i < 6; i++) expect([404, 429]).toContain((await lookup("CW-424242", `WRONGCODE${i}`, "127.0.0.2")).status);
    expect((await lookup("CW-424242", "WRONGCODEX", "127.0.0.2")).status, "the look-up itself is throttled").toBe(429);
    expect((await login("sup1", testPassword("sup1"), "127.0.0.2")).status, "a staff login from the same address").toBe(200);

    // Someone guessing op1's password from one address locks only that address out of op1.
    for (let i = 0; i < 6; i++) expect([401, 429]).toContain((await login("op1", `wrong-${i}`, "127.0.0.3")).status);
    const locked = await login("op1", testPassword("op1"), "127.0.0.3");
    expect(locked.status, "the guessing address waits, even with the right password").toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    expect((await login("op1", testPassword("op1"), "127.0.0.4")).status, "op1 from anywhere else logs in").toBe(200);
    const unlocked = await call("POST", "/api/users/op1/unlock", { cookie: await loginAs(base, "admin") });
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.json().cleared).toBeGreaterThan(0);
    expect((await login("op1", testPassword("op1"), "127.0.0.3")).status, "after the administrator's unlock").toBe(200);
    expect((await call("POST", "/api/users/op1/unlock", { cookie: await loginAs(base, "op1") })).status, "only administrators unlock").toBe(403);

    // One address spraying many accounts is locked out of all of them, until an administrator lifts it.
    for (let i = 0; i < 10; i++) expect((await login(`spray-${i}`, "guess", "127.0.0.5")).status).toBe(401);
    expect((await login("sup1", testPassword("sup1"), "127.0.0.5")).status, "the spraying address waits").toBe(429);
    const lifted = await call("POST", "/api/auth/unlock-address", { cookie: await loginAs(base, "admin"), body: { address: "127.0.0.5" } });
    expect(lifted.status, lifted.text).toBe(200);
    expect((await login("sup1", testPassword("sup1"), "127.0.0.5")).status, "after the administrator's unlock").toBe(200);

    // A party's case: 30 wrong codes from 10 other addresses, then the party with the right code.
    await call("PUT", "/api/cameras/cam-sec", {
      cookie: await loginAs(base, "admin"),
      body: {
        name: "人民路口",
        street: "人民路",
        locationPublishedAt: "2026-01-01T00:00:00Z",
        zones: [
          {
            id: "z1",
            polygon: [
              [0.1, 0.1],
              [0.9, 0.1],
              [0.9, 0.9],
            ],
            rules: [{ id: "v", kind: "street_vending", eventCode: { major: "05", minor: "01" } }],
          },
        ],
      },
    });
    const caseId = await reportCandidate(db, { cameraId: "cam-sec" });
    const op = await loginAs(base, "op1");
    expect((await call("POST", `/api/cases/${caseId}/confirm`, { cookie: op, body: {} })).status).toBe(200);
    const issued = (await call("POST", `/api/cases/${caseId}/access-code`, { cookie: op })).json();
    for (let a = 10; a < 20; a++) for (let i = 0; i < 3; i++) await lookup(issued.caseNumber, `GUESS${a}${i}XX`, `127.0.0.${a}`);
    const party = await lookup(issued.caseNumber, issued.accessCode, "127.0.0.9");
    expect(party.status, `the party is not locked out by a flood from elsewhere: ${party.text}`).toBe(200);
    const statement = await call("POST", "/api/public/cases/statement", {
      from: "127.0.0.9",
      body: { caseNumber: issued.caseNumber, accessCode: issued.accessCode, text: `请回电 ${PHONE}`, contact: PHONE },
    });
    expect(statement.status, statement.text).toBe(201);
    partyCaseId = caseId;
  });
  let partyCaseId = "";

  it("tells anonymous callers only up/degraded/down, shows the fleet to staff, and rate-limits the probe", async () => {
    const admin = await loginAs(base, "admin");
    const enrollment = (await call("POST", "/api/edges", { cookie: admin, body: { id: "edge-sec", name: "edge" } })).json();
    const creds = (await call("POST", "/api/edges/enroll", { body: { token: enrollment.enrollmentToken } })).json();
    await call("PUT", "/api/cameras/cam-sec", { cookie: admin, body: { name: "人民路口", street: "人民路", edgeId: "edge-sec" } });
    const edge = await mqtt.connectAsync(mqttUrl, {
      username: creds.mqtt.username,
      password: creds.mqtt.password,
      clientId: "hardening-edge",
      reconnectPeriod: 0,
    });
    const at = new Date().toISOString();
    await edge.publishAsync(topics.edgeStatus("edge-sec"), JSON.stringify({ edgeId: "edge-sec", state: "online", cameras: ["cam-sec"], at }), {
      qos: 1,
      retain: true,
    });
    const health = {
      cameraId: "cam-sec",
      edgeId: "edge-sec",
      state: "restarting",
      framesInPerSec: 0,
      sampledPerSec: 0,
      detectedPerSec: 0,
      droppedFrames: 0,
      lastFrameAt: null,
      restarts: 3,
      restartsLastHour: 3,
      at,
    };
    // An edge of an older version quoting the stream URL in its error.
    const lastError = "rtsp://cam.example:554/live?user=admin&password=Hunter2-Camera&token=tok-Hidden-42: Connection refused";
    await edge.publishAsync(topics.cameraHealth("cam-sec"), JSON.stringify({ ...health, lastError }), { qos: 1, retain: true });

    let detailed: Answer | undefined;
    await expect
      .poll(
        async () => {
          detailed = await call("GET", "/api/health", { cookie: admin, from: "127.0.0.7" });
          return detailed.json().cameras?.length ?? 0;
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(detailed!.json()).toMatchObject({
      status: "ok",
      edges: [expect.objectContaining({ edgeId: "edge-sec" })],
      cameras: [expect.objectContaining({ cameraId: "cam-sec" })],
    });
    expect(detailed!.text, "no secret in a health message").not.toMatch(/Hunter2-Camera|tok-Hidden-42/);
    expect(detailed!.json().cameras[0].lastError).toContain("password=***");

    for (const cookie of [undefined, await loginAs(base, "aux1"), await loginAs(base, "sup1")]) {
      const anon = await call("GET", "/api/health", { cookie, from: "127.0.0.7" });
      expect(anon.status).toBe(200);
      expect(anon.json(), "status only").toEqual({ status: "up" });
      expect(anon.text).not.toMatch(/edge-sec|cam-sec|rtsp|mqtt:/);
    }
    let last = 0;
    for (let i = 0; i <= HEALTH_PER_MINUTE && last !== 429; i++) last = (await call("GET", "/api/health", { from: "127.0.0.8" })).status;
    expect(last, "the health endpoint is rate-limited per address").toBe(429);
    expect(proc.output()).not.toMatch(/Hunter2-Camera|tok-Hidden-42/);
    await edge.endAsync();
  });

  it("streams to an auxiliary only the changes of cases assigned to them", async () => {
    const op = await loginAs(base, "op1");
    const aux = await openEvents(await loginAs(base, "aux1"));
    const officer = await openEvents(await loginAs(base, "off1"));
    const overseer = await openEvents(await loginAs(base, "sup1"));
    const others = await reportCandidate(db, { cameraId: "cam-sec" });
    const auxiliaries = await reportCandidate(db, { cameraId: "cam-sec" });
    const act = async (id: string, action: string, body: unknown) => {
      const r = await call("POST", `/api/cases/${id}/${action}`, { cookie: op, body });
      expect(r.status, r.text).toBe(200);
    };
    await act(others, "confirm", {});
    await act(others, "dispatch", { assigneeId: "off1", task: "dissuasion" });
    await act(auxiliaries, "confirm", {});
    await act(auxiliaries, "dispatch", { assigneeId: "aux1", task: "dissuasion" });
    // Notices keep their order per stream: once the auxiliary's own dispatch arrived, anything earlier would have too.
    await expect.poll(() => aux.changes.some((c) => c.caseId === auxiliaries && c.action === "dispatch"), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => overseer.changes.some((c) => c.caseId === auxiliaries && c.action === "dispatch"), { timeout: 10_000 }).toBe(true);
    expect(
      aux.changes.map((c) => c.caseId),
      "nothing of another person's case",
    ).not.toContain(others);
    expect(aux.changes.every((c) => c.caseId === auxiliaries)).toBe(true);
    expect(
      officer.changes.some((c) => c.caseId === others && c.action === "dispatch"),
      "the officer sees their own task",
    ).toBe(true);
    expect(
      overseer.changes.some((c) => c.caseId === others),
      "a supervisor oversees every case",
    ).toBe(true);
    for (const s of [aux, officer, overseer]) s.close();
  });

  it("masks identity and phone numbers for auxiliaries and supervisors, and records every read of a full identity number", async () => {
    const op = await loginAs(base, "op1");
    const put = await call("PUT", "/api/vendors/v-sec", { cookie: op, body: { name: "摊主", idNumber: ID_NUMBER } });
    expect(put.status, put.text).toBe(200);
    expect(put.text, "the answer to a write does not echo it").not.toContain(ID_NUMBER);
    const reads = () => db.prisma.auditEntry.count({ where: { chain: "vendor:v-sec", action: "personal_data.id_number_read" } });
    for (const user of ["aux1", "sup1"]) {
      const cookie = await loginAs(base, user);
      for (const p of ["/api/vendors", "/api/vendors/v-sec"]) {
        const r = await call("GET", p, { cookie });
        expect(r.status, r.text).toBe(200);
        expect(r.text, `${user} ${p}`).not.toContain(ID_NUMBER);
        expect(r.text).toContain("110***********1234");
      }
    }
    expect(await reads(), "masked reads are not full reads").toBe(0);
    const full = await call("GET", "/api/vendors/v-sec", { cookie: op });
    expect(full.json().idNumber, "the operator decides: full number").toBe(ID_NUMBER);
    await call("GET", "/api/vendors/v-sec", { cookie: await loginAs(base, "off1") });
    expect(await reads(), "each full read is in the audit chain").toBe(2);
    const entry = await db.prisma.auditEntry.findFirstOrThrow({ where: { chain: "vendor:v-sec" }, orderBy: { seq: "asc" } });
    expect(entry.actorId).toBe("op1");

    const record = await call("GET", `/api/cases/${partyCaseId}/record`, { cookie: await loginAs(base, "sup1") });
    expect(record.status, record.text).toBe(200);
    expect(record.text, "the party's phone number, masked for a supervisor").not.toContain(PHONE);
    expect(record.text).toContain("138****5678");
    expect((await call("GET", `/api/cases/${partyCaseId}/record`, { cookie: op })).text, "in full for the operator").toContain(PHONE);
  });

  it("answers a malformed session cookie with 401, not 500, and logs no error", async () => {
    const before = proc.output().length;
    for (const cookie of ["cw_session=%E0%A4%A", "cw_session=%", "cw_session=%ZZ; other=1"]) {
      const r = await call("GET", "/api/cases", { cookie });
      expect(r.status, `${cookie}: ${r.text}`).toBe(401);
    }
    expect(proc.output().slice(before)).not.toMatch(/"level":50/);
  });

  it("gives no stack trace or absolute path in any error, with a request id to match the log", async () => {
    for (const p of ["/assets/..%2f..%2f..%2fpackage.json", "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/assets/no-such-file.js", "/assets/%E0%A4%A"]) {
      const r = await call("GET", p);
      expect(r.status, `${p}: ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.text.length, p).toBeLessThan(200);
    }
    // An internal error: the database loses a table under a running back end.
    await db.prisma.$executeRawUnsafe(`ALTER TABLE "Vendor" RENAME TO "Vendor_away"`);
    try {
      const r = await call("GET", "/api/vendors", { cookie: await loginAs(base, "op1") });
      expect(r.status).toBe(500);
      expect(r.json()).toEqual({ error: "internal error", code: "internal", requestId: r.headers["x-request-id"] });
      await proc.waitFor(new RegExp(`"requestId":"${r.headers["x-request-id"]}"`), 10_000);
    } finally {
      await db.prisma.$executeRawUnsafe(`ALTER TABLE "Vendor_away" RENAME TO "Vendor"`);
    }
    expect(errorAnswers.length).toBeGreaterThan(20);
    for (const a of errorAnswers) {
      expect(a, "no stack trace").not.toMatch(/\bat [\w.<>]+ \(|\bat .*:\d+:\d+|Error: /);
      expect(a, "no absolute path").not.toMatch(/\/(home|work|usr|tmp|root|srv|opt|app)\/|node_modules|[A-Z]:\\/);
    }
  });
});
