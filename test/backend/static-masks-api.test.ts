import { execFileSync } from "node:child_process";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeStaticCells, topics, type CameraHealth, type StaticMasks } from "../../src/contracts/index.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { renderAclFile, renderPasswordFile } from "../../src/backend/security/mosquitto-acl.ts";
import { startPrivateMosquitto, type PrivateMosquitto } from "../support/mosquitto.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { testPassword } from "../support/login.ts";
import { api, eventually, runTag, startTestBackend, testConfig } from "./backend-harness.ts";

/** Owner of files Mosquitto re-reads after dropping root (as the private test broker does). */
function mosquittoOwner(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return execFileSync("sh", ["-c", "echo $(id -u mosquitto):$(id -g mosquitto)"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

const rule = { id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" } };
const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];

/** A 16×8 grid with a 4×3 block standing in it, and an empty one. */
const block = Uint8Array.from({ length: 16 * 8 }, (_, i) => (i % 16 >= 5 && i % 16 < 9 && i >= 32 && i < 80 ? 1 : 0));
const masks = (at: string): StaticMasks => ({
  at,
  zones: [
    { zoneId: "kerb", width: 16, height: 8, region: [0.1, 0.5, 0.4, 0.8], cells: encodeStaticCells(block) },
    { zoneId: "door", width: 8, height: 8, region: [0.6, 0.2, 0.8, 0.4], cells: encodeStaticCells(new Uint8Array(64)) },
  ],
});

function health(cameraId: string, edgeId: string, extra: Partial<CameraHealth> = {}): CameraHealth {
  return {
    cameraId,
    edgeId,
    state: "streaming",
    framesInPerSec: 25,
    sampledPerSec: 1,
    detectedPerSec: 1,
    droppedFrames: 0,
    lastFrameAt: new Date().toISOString(),
    restarts: 0,
    restartsLastHour: 0,
    lastError: null,
    at: new Date().toISOString(),
    ...extra,
  };
}

/**
 * The zone editor's static-object masks travel the real path: an enrolled edge publishes its
 * retained camera health on a Mosquitto locked down with the files the back end writes, and the
 * back end serves the masks to administrators only.
 */
describe.runIf(postgresAvailable())("static-object masks from camera health (real PostgreSQL, Mosquitto with the back end's ACL)", () => {
  const tag = runTag();
  const cam = `cam-${tag}`;
  const other = `cam2-${tag}`;
  let broker: PrivateMosquitto;
  let be: RunningBackend;
  let drop: () => Promise<void>;
  const clients: MqttClient[] = [];

  /** Connects as an enrolled edge, retrying until Mosquitto has re-read the password file. */
  async function enrolledEdge(edgeId: string, camera: string): Promise<MqttClient> {
    const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: edgeId, name: edgeId } })).body;
    const creds = (await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).body;
    const put = await api(be.url, "PUT", `/cameras/${camera}`, {
      as: "admin",
      body: { name: camera, edgeId, zones: [{ id: "kerb", polygon: square(0.1, 0.5, 0.3), rules: [rule] }] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const c = await eventually(
      () => mqtt.connectAsync(be.brokerUrl, { username: creds.mqtt.username, password: creds.mqtt.password, clientId: `${edgeId}-t`, reconnectPeriod: 0 }),
      `${edgeId} connected with its enrolled credentials`,
    );
    clients.push(c);
    return c;
  }

  const publishHealth = (c: MqttClient, h: CameraHealth) => c.publishAsync(topics.cameraHealth(h.cameraId), JSON.stringify(h), { qos: 1, retain: true });

  let edgeA: MqttClient;
  let edgeB: MqttClient;

  beforeAll(async () => {
    const backend = { username: "curbwatch-backend", password: `backend-${tag}` };
    broker = await startPrivateMosquitto({
      conf: ["allow_anonymous false", "password_file {dir}/passwd", "acl_file {dir}/acl", "pid_file {dir}/mosquitto.pid"],
      files: { passwd: renderPasswordFile(backend, []), acl: renderAclFile(backend, []) },
    });
    const t = await createTestDatabase("cw_static_masks");
    drop = t.drop;
    const cfg = testConfig({ databaseUrl: t.url, mqttUrl: broker.url, group: tag });
    cfg.mqtt.username = backend.username;
    cfg.mqtt.password = backend.password;
    cfg.security.mosquittoFilesDir = broker.dir;
    cfg.security.mosquittoFilesOwner = mosquittoOwner();
    cfg.security.mosquittoPidFile = path.join(broker.dir, "mosquitto.pid");
    be = await startTestBackend(cfg);
    await api(be.url, "PUT", `/users/op-${tag}`, { as: "admin", body: { name: "坐席", role: "operator", password: testPassword(`op-${tag}`) } });
    edgeA = await enrolledEdge(`edgea-${tag}`, cam);
    edgeB = await enrolledEdge(`edgeb-${tag}`, other);
  }, 90_000);
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await be?.close();
    await broker?.stop();
    await drop?.();
  });

  const getMasks = (as = "admin", camera = cam) => api(be.url, "GET", `/cameras/${camera}/static-masks`, { as });

  it("says plainly that nothing was reported before the edge has, and that an unknown camera does not exist", async () => {
    const none = await getMasks();
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("static_masks_not_reported");
    const unknown = await getMasks("admin", `nope-${tag}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("not_found");
  });

  it("serves what the camera's edge published to administrators, refuses operators and keeps the masks out of /health", async () => {
    const sent = masks(new Date(Date.now() - 2000).toISOString());
    // The first publish may precede Mosquitto's re-reading of the ACL (camera just assigned): publish until it arrives.
    const got = await eventually(async () => {
      await publishHealth(edgeA, health(cam, `edgea-${tag}`, { staticMasks: sent }));
      const r = await getMasks();
      return r.status === 200 ? r.body : undefined;
    }, "the masks the edge published");
    expect(got).toEqual(sent);

    const op = await getMasks(`op-${tag}`);
    expect(op.status).toBe(403);
    expect(op.body).not.toHaveProperty("zones");

    const report = await api(be.url, "GET", "/health", { as: "admin" });
    const camHealth = report.body.cameras.find((c: CameraHealth) => c.cameraId === cam);
    expect(camHealth.state).toBe("streaming");
    expect(camHealth).not.toHaveProperty("staticMasks");
  });

  it("ignores masks another edge publishes for the camera (the broker drops them)", async () => {
    const before = (await getMasks()).body as StaticMasks;
    const forged: StaticMasks = { at: new Date().toISOString(), zones: [{ ...before.zones[0], cells: encodeStaticCells(new Uint8Array(128).fill(1)) }] };
    await publishHealth(edgeB, health(cam, `edgea-${tag}`, { staticMasks: forged }));
    // Then the same edge's health of its own camera: once that has arrived, the forged one would have too.
    await publishHealth(edgeB, health(other, `edgeb-${tag}`, { lastError: "control" }));
    await eventually(async () => {
      const report = await api(be.url, "GET", "/health", { as: "admin" });
      return report.body.cameras.find((c: CameraHealth) => c.cameraId === other)?.lastError === "control" ? true : undefined;
    }, "edge B's health of its own camera");
    expect((await getMasks()).body).toEqual(before);
  });

  it("keeps a camera's health when its mask is malformed, and then has no mask to serve", async () => {
    const bad = { at: new Date().toISOString(), zones: [{ ...masks("").zones[0], width: 17 }] };
    await publishHealth(edgeA, { ...health(cam, `edgea-${tag}`, { lastError: "marker" }), staticMasks: bad } as CameraHealth);
    await eventually(async () => {
      const report = await api(be.url, "GET", "/health", { as: "admin" });
      return report.body.cameras.find((c: CameraHealth) => c.cameraId === cam)?.lastError === "marker" ? true : undefined;
    }, "the health with the malformed mask");
    const r = await getMasks();
    expect(r.status).toBe(404);
    expect(r.body.code).toBe("static_masks_not_reported");
  });
});
