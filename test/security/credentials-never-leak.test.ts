import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topics } from "../../src/contracts/topics.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";

const CAMERA_PASSWORD = "Cam3ra-S3cret-Pw-7731";
const CAMERA_USER = "svc-cam-user";

describe.runIf(postgresAvailable())("a spawned back end: one-time admin password, camera credentials never in a response or log line, broker ACL", () => {
  let proc: Spawned;
  let drop: () => Promise<void>;
  let base: string;
  let mqttUrl: string;
  const responses: string[] = [];
  let cookie = "";

  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}/api${path}`, {
      method,
      headers: { cookie, ...(method !== "GET" ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? (method !== "GET" ? "{}" : undefined) : JSON.stringify(body),
    });
    const text = await r.text();
    responses.push(`${method} ${path} ${r.status} ${[...r.headers].join(" ")} ${text}`);
    return { status: r.status, text, json: () => JSON.parse(text) };
  };

  beforeAll(async () => {
    const t = await createTestDatabase("cw_leak");
    drop = t.drop;
    const [port, mqttPort] = await Promise.all([freePort(), freePort()]);
    const dir = (await import("node:fs")).mkdtempSync((await import("node:path")).join((await import("node:os")).tmpdir(), "cw-leak-"));
    proc = spawnCurbwatch(["backend"], {
      env: {
        DATABASE_URL: t.url,
        PORT: String(port),
        HOST: "127.0.0.1",
        MQTT_EMBEDDED_PORT: String(mqttPort),
        CURBWATCH_DATA_DIR: dir,
        LOG_LEVEL: "debug",
        DEMO_ENABLED: "false",
        CURBWATCH_INITIAL_ADMIN_PASSWORD: "",
      },
    });
    base = `http://127.0.0.1:${port}`;
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    await waitForHttp(`${base}/api/health`, (s) => s === 200 || s === 503);
  });
  afterAll(async () => {
    await proc?.stop();
    await drop?.();
  });

  it("prints a one-time administrator password once, and demands a new one before anything else", async () => {
    const line = await proc.waitFor(/^\s{6}\S{16,}\s*$/m);
    const oneTime = line.trim();
    expect(proc.output().split(oneTime).length - 1, "printed exactly once").toBe(1);
    expect(proc.output()).not.toMatch(new RegExp(`"[^"]*":"${oneTime}"`)); // never a structured log field
    const login = await call("POST", "/auth/login", { username: "admin", password: oneTime });
    expect(login.json().user.mustChangePassword).toBe(true);
    cookie = responses.at(-1)!.match(/cw_session=[^;]+/)![0];
    expect((await call("GET", "/cameras")).status).toBe(403);
    expect((await call("POST", "/auth/password", { currentPassword: oneTime, newPassword: "An0ther-Adm1n-Passw0rd" })).status).toBe(204);
    expect((await call("GET", "/cameras")).status).toBe(200);
  });

  it("keeps camera credentials out of every response and log line; only the edge's config topic carries them", async () => {
    const enrollment = (await call("POST", "/edges", { id: "edge-leak", name: "leak test edge" })).json();
    const creds = (await call("POST", "/edges/enroll", { token: enrollment.enrollmentToken })).json();
    const edge = await mqtt.connectAsync(mqttUrl, { username: creds.mqtt.username, password: creds.mqtt.password, clientId: "leak-edge", reconnectPeriod: 0 });
    const configs: string[] = [];
    edge.on("message", (topic, payload) => configs.push(`${topic} ${payload.toString()}`));
    await edge.subscribeAsync(topics.edgeConfig("edge-leak"), { qos: 1 });

    const put = await call("PUT", "/cameras/cam-leak", {
      name: "Leak test",
      streamUrl: `rtsp://${CAMERA_USER}:${CAMERA_PASSWORD}@127.0.0.1:1/stream1`,
      edgeId: "edge-leak",
      locationPublishedAt: new Date().toISOString(),
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
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json()).toMatchObject({ hasCredentials: true, streamUrl: "rtsp://127.0.0.1:1/stream1" });
    await call("PUT", "/cameras/cam-leak", {
      name: "Leak test (renamed)",
      edgeId: "edge-leak",
      credentials: { username: CAMERA_USER, password: CAMERA_PASSWORD },
    });
    await call("GET", "/cameras");
    await call("GET", "/cameras/cam-leak");
    await call("GET", "/public/cameras");
    await call("GET", "/openapi.json");
    const snap = await call("GET", "/cameras/cam-leak/snapshot");
    expect([502, 504]).toContain(snap.status);

    await expect.poll(() => configs.some((c) => c.includes("Leak test (renamed)")), { timeout: 10_000 }).toBe(true);
    const newest = JSON.parse(configs.at(-1)!.slice(configs.at(-1)!.indexOf(" ") + 1));
    expect(newest.cameras[0].url, "the edge gets a working URL").toBe(`rtsp://${CAMERA_USER}:${CAMERA_PASSWORD}@127.0.0.1:1/stream1`);
    expect(newest.revision).toBeGreaterThanOrEqual(2);

    for (const r of responses) expect(r, r.slice(0, 120)).not.toContain(CAMERA_PASSWORD);
    expect(proc.output()).not.toContain(CAMERA_PASSWORD);
    expect(proc.output()).not.toContain(creds.mqtt.password);
    expect(proc.output()).not.toContain(creds.apiToken);
    await edge.endAsync();
  });

  it("lets an edge publish only its own cameras and status, and read only its own config (embedded broker)", async () => {
    const other = (await call("POST", "/edges", { id: "edge-other", name: "other" })).json();
    const otherCreds = (await call("POST", "/edges/enroll", { token: other.enrollmentToken })).json();
    const mine = (await call("POST", "/edges", { id: "edge-acl", name: "acl" })).json();
    const creds = (await call("POST", "/edges/enroll", { token: mine.enrollmentToken })).json();
    await call("PUT", "/cameras/cam-acl", { name: "acl cam", edgeId: "edge-acl" });
    await call("PUT", "/cameras/cam-other", { name: "other cam", edgeId: "edge-other" });

    await expect(mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0, clientId: "anon" })).rejects.toThrow(/Not authorized|Bad username/i);
    await expect(mqtt.connectAsync(mqttUrl, { username: "edge-acl", password: "guess", reconnectPeriod: 0, clientId: "guess" })).rejects.toThrow(
      /Not authorized|Bad username/i,
    );

    const watcher = await mqtt.connectAsync(mqttUrl, {
      username: otherCreds.mqtt.username,
      password: otherCreds.mqtt.password,
      clientId: "watch-other",
      reconnectPeriod: 0,
    });
    const seen: string[] = [];
    watcher.on("message", (t) => seen.push(t));
    expect((await watcher.subscribeAsync(topics.edgeConfig("edge-other"), { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    await expect(watcher.subscribeAsync(topics.edgeConfig("edge-acl"), { qos: 1 }), "another edge's config").rejects.toThrow(/Subscribe error/);
    await expect(watcher.subscribeAsync(topics.cameraCandidate("cam-acl"), { qos: 1 }), "candidates are for the back end").rejects.toThrow(/Subscribe error/);

    const edge = await mqtt.connectAsync(mqttUrl, { username: creds.mqtt.username, password: creds.mqtt.password, clientId: "acl-edge", reconnectPeriod: 0 });
    await edge.publishAsync(topics.edgeStatus("edge-acl"), "{}", { qos: 1 });
    await edge.publishAsync(topics.cameraCandidate("cam-acl"), "{}", { qos: 1 });
    // Another edge's camera: aedes drops the connection rather than deliver it.
    await Promise.race([
      edge.publishAsync(topics.cameraCandidate("cam-other"), "{}", { qos: 1 }).catch(() => undefined),
      new Promise((r) => setTimeout(r, 2000)),
    ]);
    await expect.poll(() => edge.connected, { timeout: 5000 }).toBe(false);
    expect(proc.output()).toMatch(/mqtt publish refused/);
    edge.end(true);
    // Everything the other edge received is its own config: nothing of edge-acl's leaked to it.
    expect(
      seen.filter((t) => t !== topics.edgeConfig("edge-other")),
      "messages another edge received",
    ).toEqual([]);
    await watcher.endAsync();
  });
});
