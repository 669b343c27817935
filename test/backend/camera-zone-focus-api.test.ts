import { pathToFileURL } from "node:url";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeConfigSchema, topics, type EdgeConfig } from "../../src/contracts/index.ts";
import { defaultZoneFocusConfig } from "../../src/contracts/zone-focus-config.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { vtestClip } from "../support/paths.ts";
import { api, eventually, runTag, startTestBackend, testConfig } from "./backend-harness.ts";

const zones = [
  {
    id: "kerb",
    polygon: [
      [0.1, 0.55],
      [0.4, 0.55],
      [0.4, 0.8],
      [0.1, 0.8],
    ],
    rules: [{ id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" } }],
  },
];

describe.runIf(postgresAvailable() && mosquittoAvailable())("per-camera zone focus settings (real PostgreSQL, Mosquitto)", () => {
  const tag = runTag();
  const cam = `cam-${tag}`;
  const edge = `edge-${tag}`;
  let drop: () => Promise<void>;
  let be: RunningBackend;
  let sub: MqttClient;
  let latest: EdgeConfig | undefined;
  const published = () => latest?.cameras.find((c) => c.id === cam);

  beforeAll(async () => {
    const t = await createTestDatabase("cw_zone_focus");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, mqttUrl: MOSQUITTO_URL, group: tag }));
    await api(be.url, "POST", "/edges", { as: "admin", body: { id: edge, name: "test edge" } });
    expect((await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: "kerb camera", edgeId: edge, zones } })).status).toBe(200);
    // A file source, as the demo seed writes it (the API accepts only rtsp:// sources).
    await be.ctx.db.prisma.camera.update({ where: { id: cam }, data: { streamUrl: pathToFileURL(vtestClip).href } });
    sub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `sub-${tag}` });
    sub.on("message", (_topic, payload) => {
      const config = edgeConfigSchema.parse(JSON.parse(payload.toString()));
      if (!latest || config.revision > latest.revision) latest = config;
    });
    await sub.subscribeAsync(topics.edgeConfig(edge), { qos: 1 });
    // Saved again with its source in place, so the published config describes it.
    expect((await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: "kerb camera", edgeId: edge, zones } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await sub?.endAsync();
    await be?.close();
    await drop?.();
  });

  it("stores the administrator's settings, publishes them to the edge, and goes back to the defaults on null", async () => {
    await eventually(async () => (published() ? true : undefined), "a config with the camera");
    expect(published()!.zoneFocus).toEqual(defaultZoneFocusConfig);

    const put = await api(be.url, "PUT", `/cameras/${cam}`, {
      as: "admin",
      body: { name: "kerb camera", edgeId: edge, zones, zoneFocus: { enabled: true, maxInferencesPerSample: 4, fullFrameSeconds: 30 } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.zoneFocus).toMatchObject({ maxInferencesPerSample: 4, fullFrameSeconds: 30 });
    const sent = await eventually(async () => (published()?.zoneFocus.maxInferencesPerSample === 4 ? published()! : undefined), "config with 4 inferences");
    expect(sent.zoneFocus).toEqual({ ...defaultZoneFocusConfig, maxInferencesPerSample: 4, fullFrameSeconds: 30 });

    // Saving the camera without the field keeps the settings.
    await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: "kerb camera renamed", edgeId: edge, zones } });
    expect((await api(be.url, "GET", `/cameras/${cam}`, { as: "admin" })).body.zoneFocus.maxInferencesPerSample).toBe(4);

    await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: "kerb camera", edgeId: edge, zones, zoneFocus: null } });
    await eventually(
      async () => (published()?.zoneFocus.maxInferencesPerSample === defaultZoneFocusConfig.maxInferencesPerSample ? true : undefined),
      "defaults again",
    );
    expect((await api(be.url, "GET", `/cameras/${cam}`, { as: "admin" })).body.zoneFocus).toBeNull();
  });

  it("refuses settings the edge would reject, naming the field, and a misspelt one", async () => {
    const bad = await api(be.url, "PUT", `/cameras/${cam}`, {
      as: "admin",
      body: { name: "kerb camera", edgeId: edge, zones, zoneFocus: { maxInferencesPerSample: 0 } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("zoneFocus.maxInferencesPerSample");
    const typo = await api(be.url, "PUT", `/cameras/${cam}`, {
      as: "admin",
      body: { name: "kerb camera", edgeId: edge, zones, zoneFocus: { maxInference: 3 } },
    });
    expect(typo.status).toBe(400);
  });
});
