import { execFileSync } from "node:child_process";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeStaticCells, topics, type CameraHealth, type StaticMasks, type ZoneActivity } from "../../src/contracts/index.ts";
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

/** A person with no gear and two umbrellas below the minimum score; a second rule cooling down. */
const activity = (at: string): ZoneActivity => ({
  at,
  zones: [
    {
      zoneId: "kerb",
      detections: [
        { label: "person", role: "person", score: 0.83, box: [0.2, 0.5, 0.24, 0.7] },
        { label: "umbrella", role: "vending_gear", score: 0.3, box: [0.25, 0.55, 0.3, 0.7] },
      ],
      rules: [
        {
          ruleId: "vending",
          kind: "street_vending",
          state: "not_enough",
          detail: { persons: { seen: 1, needed: 1 }, gear: { seen: 0, needed: 1 }, gearNotNear: 0, dropped: { lowScore: 2, smallBox: 0, smallStatic: 0 } },
        },
        { ruleId: "night", kind: "street_vending", state: "cooldown", detail: { secondsLeft: 240 } },
      ],
    },
  ],
});
const masks = (at: string): StaticMasks => ({
  at,
  zones: [{ zoneId: "kerb", width: 8, height: 8, region: [0.1, 0.5, 0.4, 0.8], cells: encodeStaticCells(new Uint8Array(64)) }],
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
 * The zone editor's "what the edge sees now" travels the real path: an enrolled edge publishes its
 * retained camera health on a Mosquitto locked down with the files the back end writes, and the
 * back end serves the zone activity to administrators only.
 */
describe.runIf(postgresAvailable())("zone activity from camera health (real PostgreSQL, Mosquitto with the back end's ACL)", () => {
  const tag = runTag();
  const cam = `cam-${tag}`;
  const edgeA = `edgea-${tag}`;
  const edgeB = `edgeb-${tag}`;
  let broker: PrivateMosquitto;
  let be: RunningBackend;
  let drop: () => Promise<void>;
  let edge: MqttClient;

  const putCamera = async (edgeId: string) => {
    const put = await api(be.url, "PUT", `/cameras/${cam}`, {
      as: "admin",
      body: { name: cam, edgeId, zones: [{ id: "kerb", polygon: square(0.1, 0.5, 0.3), rules: [rule] }] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  };
  const getActivity = (as = "admin", camera = cam) => api(be.url, "GET", `/cameras/${camera}/zone-activity`, { as });
  const publishHealth = (h: CameraHealth) => edge.publishAsync(topics.cameraHealth(h.cameraId), JSON.stringify(h), { qos: 1, retain: true });
  const cameraInHealth = async () => (await api(be.url, "GET", "/health", { as: "admin" })).body.cameras.find((c: CameraHealth) => c.cameraId === cam);

  beforeAll(async () => {
    const backend = { username: "curbwatch-backend", password: `backend-${tag}` };
    broker = await startPrivateMosquitto({
      conf: ["allow_anonymous false", "password_file {dir}/passwd", "acl_file {dir}/acl", "pid_file {dir}/mosquitto.pid"],
      files: { passwd: renderPasswordFile(backend, []), acl: renderAclFile(backend, []) },
    });
    const t = await createTestDatabase("cw_zone_activity");
    drop = t.drop;
    const cfg = testConfig({ databaseUrl: t.url, mqttUrl: broker.url, group: tag });
    cfg.mqtt.username = backend.username;
    cfg.mqtt.password = backend.password;
    cfg.security.mosquittoFilesDir = broker.dir;
    cfg.security.mosquittoFilesOwner = mosquittoOwner();
    cfg.security.mosquittoPidFile = path.join(broker.dir, "mosquitto.pid");
    be = await startTestBackend(cfg);
    await api(be.url, "PUT", `/users/op-${tag}`, { as: "admin", body: { name: "坐席", role: "operator", password: testPassword(`op-${tag}`) } });
    const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: edgeA, name: edgeA } })).body;
    await api(be.url, "POST", "/edges", { as: "admin", body: { id: edgeB, name: edgeB } });
    const creds = (await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).body;
    await putCamera(edgeA);
    // Retried until Mosquitto has re-read the password file.
    edge = await eventually(
      () => mqtt.connectAsync(be.brokerUrl, { username: creds.mqtt.username, password: creds.mqtt.password, clientId: `${edgeA}-t`, reconnectPeriod: 0 }),
      `${edgeA} connected with its enrolled credentials`,
    );
  }, 90_000);
  afterAll(async () => {
    await edge?.endAsync(true).catch(() => undefined);
    await be?.close();
    await broker?.stop();
    await drop?.();
  });

  it("says plainly that nothing was reported before the edge has, and that an unknown camera does not exist", async () => {
    const none = await getActivity();
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("zone_activity_not_reported");
    const unknown = await getActivity("admin", `nope-${tag}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("not_found");
  });

  it("serves what the camera's edge published to administrators, refuses operators and keeps the activity out of /health", async () => {
    const sent = activity(new Date(Date.now() - 2000).toISOString());
    // The first publish may precede Mosquitto's re-reading of the ACL (camera just assigned): publish until it arrives.
    const got = await eventually(async () => {
      await publishHealth(health(cam, edgeA, { zoneActivity: sent }));
      const r = await getActivity();
      return r.status === 200 ? r.body : undefined;
    }, "the zone activity the edge published");
    expect(got).toEqual(sent);

    const op = await getActivity(`op-${tag}`);
    expect(op.status).toBe(403);
    expect(op.body).not.toHaveProperty("zones");

    const camHealth = await cameraInHealth();
    expect(camHealth.state).toBe("streaming");
    expect(camHealth).not.toHaveProperty("zoneActivity");
  });

  it("drops a malformed zone activity alone: the health and its static-object masks stay", async () => {
    const at = new Date().toISOString();
    const bad = activity(at) as unknown as { zones: { rules: Record<string, unknown>[] }[] };
    bad.zones[0].rules[1] = { ...bad.zones[0].rules[1], state: "snoozing" };
    await publishHealth({ ...health(cam, edgeA, { lastError: "marker", staticMasks: masks(at) }), zoneActivity: bad } as unknown as CameraHealth);
    await eventually(async () => ((await cameraInHealth())?.lastError === "marker" ? true : undefined), "the health with the malformed activity");
    const r = await getActivity();
    expect(r.status).toBe(404);
    expect(r.body.code).toBe("zone_activity_not_reported");
    const kept = await api(be.url, "GET", `/cameras/${cam}/static-masks`, { as: "admin" });
    expect(kept.status, "the well-formed masks of the same message are kept").toBe(200);
    expect(kept.body.at).toBe(at);
  });

  it("serves nothing once the camera has moved to another edge", async () => {
    const at = new Date().toISOString();
    await publishHealth(health(cam, edgeA, { zoneActivity: activity(at) }));
    await eventually(async () => ((await getActivity()).body?.at === at ? true : undefined), "the fresh activity");
    await putCamera(edgeB);
    const r = await getActivity();
    expect(r.status).toBe(404);
    expect(r.body.code).toBe("zone_activity_not_reported");
  });
});
