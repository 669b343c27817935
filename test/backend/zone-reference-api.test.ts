import { pathToFileURL } from "node:url";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeConfigSchema, topics, type EdgeConfig } from "../../src/contracts/index.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { decodeReferenceGray } from "../../src/shared/zone-reference-codec.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { vtestClip } from "../support/paths.ts";
import { testPassword } from "../support/login.ts";
import { api, eventually, runTag, startTestBackend, testConfig } from "./backend-harness.ts";

const rule = { id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" } };
const kerb = [
  [0.1, 0.55],
  [0.4, 0.55],
  [0.4, 0.8],
  [0.1, 0.8],
];

describe.runIf(postgresAvailable() && mosquittoAvailable())("clear-pavement reference per zone (real PostgreSQL, Mosquitto, ffmpeg)", () => {
  const tag = runTag();
  const cam = `cam-${tag}`;
  const edge = `edge-${tag}`;
  let drop: () => Promise<void>;
  let be: RunningBackend;
  let sub: MqttClient;
  let latest: { revision: number; config: EdgeConfig; bytes: number } | undefined;

  beforeAll(async () => {
    const t = await createTestDatabase("cw_zone_ref");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, mqttUrl: MOSQUITTO_URL, group: tag }));
    await api(be.url, "PUT", "/users/op1", { as: "admin", body: { name: "坐席", role: "operator", password: testPassword("op1") } });
    await api(be.url, "POST", "/edges", { as: "admin", body: { id: edge, name: "test edge" } });
    const put = await api(be.url, "PUT", `/cameras/${cam}`, {
      as: "admin",
      body: { name: "kerb camera", edgeId: edge, zones: [{ id: "kerb", polygon: kerb, rules: [rule] }] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // A file source, as the demo seed writes it (the API accepts only rtsp:// sources).
    await be.ctx.db.prisma.camera.update({ where: { id: cam }, data: { streamUrl: pathToFileURL(vtestClip).href } });
    sub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `sub-${tag}` });
    sub.on("message", (_topic, payload) => {
      const config = edgeConfigSchema.parse(JSON.parse(payload.toString()));
      if (!latest || config.revision > latest.revision) latest = { revision: config.revision, config, bytes: payload.length };
    });
    await sub.subscribeAsync(topics.edgeConfig(edge), { qos: 1 });
  }, 60_000);
  afterAll(async () => {
    await sub?.endAsync();
    await be?.close();
    await drop?.();
  });

  const zoneInConfig = () => latest?.config.cameras.find((c) => c.id === cam)?.zones.find((z) => z.id === "kerb");

  it("captures versions from the camera's frame, publishes the newest with the zone, and drops it when the zone moves", async () => {
    const first = await api(be.url, "POST", `/cameras/${cam}/zones/kerb/reference`, { as: "admin" });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ cameraId: cam, zoneId: "kerb", version: 1, width: 160 });
    expect(first.body.capturedBy).toBeTruthy();
    expect(first.body).not.toHaveProperty("gray");
    const second = await api(be.url, "POST", `/cameras/${cam}/zones/kerb/reference`, { as: "admin" });
    expect(second.body.version).toBe(2);
    const history = await api(be.url, "GET", `/cameras/${cam}/zones/kerb/reference`, { as: "op1" });
    expect(history.body.map((r: { version: number }) => r.version)).toEqual([2, 1]);

    const ref = await eventually(
      async () => (zoneInConfig()?.reference?.version === 2 ? zoneInConfig()!.reference : undefined),
      "config with reference version 2",
    );
    expect(ref.region).toEqual([0.1, 0.55, 0.4, 0.8]);
    expect(decodeReferenceGray(ref)).toHaveLength(ref.width * ref.height);
    expect(latest!.bytes, "the config message stays small").toBeLessThan(64 * 1024);

    // Moving the zone makes the reference stale: it is no longer sent (capture again).
    const moved = await api(be.url, "PUT", `/cameras/${cam}`, {
      as: "admin",
      body: { name: "kerb camera", edgeId: edge, zones: [{ id: "kerb", polygon: kerb.map(([x, y]) => [x + 0.05, y]), rules: [rule] }] },
    });
    expect(moved.status).toBe(200);
    await eventually(async () => (zoneInConfig() && zoneInConfig()!.polygon[0][0] > 0.14 ? true : undefined), "config with the moved zone");
    expect(zoneInConfig()!.reference).toBeUndefined();
  });

  it("refuses non-administrators and unknown zones", async () => {
    expect((await api(be.url, "POST", `/cameras/${cam}/zones/kerb/reference`, { as: "op1" })).status).toBe(403);
    expect((await api(be.url, "POST", `/cameras/${cam}/zones/nowhere/reference`, { as: "admin" })).status).toBe(404);
    expect((await api(be.url, "POST", `/cameras/no-such-cam/zones/kerb/reference`, { as: "admin" })).status).toBe(404);
  });
});
