import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { cameraHealthSchema, edgeStatusSchema, topics, type CameraHealth, type EdgeStatus } from "../../src/contracts/index.ts";
import { releaseDetectors } from "../../src/detector/index.ts";
import { startEdgeWorker, type RunningEdge } from "../../src/edge/worker.ts";
import pino from "pino";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { MOSQUITTO_URL, mosquittoAvailable } from "../support/services.ts";

/**
 * Config from the back end over the retained MQTT topic: a good one runs, a malformed one is
 * rejected with its reason (in the log and in the retained edge status) while the previous
 * config keeps running, untouched.
 */
const edgeId = `cfg-${process.pid}`;
const cameraId = `cfgcam-${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-edge-cfg-"));

const goodConfig = (revision: number) => ({
  schema: "curbwatch.edge-config/v1",
  revision,
  cameras: [
    {
      id: cameraId,
      url: vtestClip,
      loop: true,
      sampling: { mode: "fps", fps: 1 },
      model: "nanodet",
      zones: [
        {
          id: "plaza",
          polygon: [
            [0.1, 0.3],
            [0.9, 0.3],
            [0.9, 0.95],
            [0.1, 0.95],
          ],
          rules: [{ id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" }, minGear: 0 }],
        },
      ],
    },
  ],
});

describe.runIf(mosquittoAvailable())("edge config over MQTT", () => {
  let edge: RunningEdge;
  let admin: MqttClient;
  const statuses: EdgeStatus[] = [];
  const health: CameraHealth[] = [];
  const logLines: string[] = [];

  const waitFor = async <T>(what: string, find: () => T | undefined, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = find();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(statuses.at(-1))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const publishConfig = (cfg: unknown) => admin.publishAsync(topics.edgeConfig(edgeId), JSON.stringify(cfg), { qos: 1, retain: true });

  beforeAll(async () => {
    admin = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `cfg-admin-${process.pid}` });
    admin.on("message", (topic, payload) => {
      if (!payload.length) return;
      if (topic === topics.edgeStatus(edgeId)) statuses.push(edgeStatusSchema.parse(JSON.parse(payload.toString())));
      if (topic === topics.cameraHealth(cameraId)) health.push(cameraHealthSchema.parse(JSON.parse(payload.toString())));
    });
    await admin.subscribeAsync([topics.edgeStatus(edgeId), topics.cameraHealth(cameraId)], { qos: 1 });
    await publishConfig(goodConfig(1));
    const config = configSchema.parse({
      dataDir: dir,
      edge: { id: edgeId, modelsDir: path.join(repoRoot, "models"), detectorThreads: 1, backendUrl: "http://127.0.0.1:9" },
    });
    // The edge's log lines, kept to check that a rejection's reason is logged.
    const log = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
    edge = await startEdgeWorker(config, log, { brokerUrl: MOSQUITTO_URL, healthIntervalMs: 1000 });
  }, 60_000);

  afterAll(async () => {
    await edge?.close();
    // Clear the retained topics this test left on the shared broker.
    for (const t of [topics.edgeConfig(edgeId), topics.edgeStatus(edgeId), topics.cameraHealth(cameraId)])
      await admin?.publishAsync(t, "", { qos: 1, retain: true });
    await admin?.endAsync();
    await releaseDetectors();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the retained config from the back end", async () => {
    await waitFor("revision 1 running", () => statuses.find((s) => s.state === "online" && s.configRevision === 1));
    await waitFor("the camera streaming", () => health.find((h) => h.state === "streaming" && h.sampledPerSec > 0));
    // The zone editor's "what the edge sees now": the zone's rule judged on real frames, not "no frames".
    const seen = await waitFor("the zone's activity from frames", () =>
      health.find((h) => h.zoneActivity?.zones[0]?.rules[0] && h.zoneActivity.zones[0].rules[0].state !== "no_frames"),
    );
    expect(seen.zoneActivity!.zones.map((z) => z.zoneId)).toEqual(["plaza"]);
    expect(seen.zoneActivity!.zones[0].rules.map((r) => [r.ruleId, r.kind])).toEqual([["vending", "street_vending"]]);
    for (const d of seen.zoneActivity!.zones[0].detections) expect(d.box[3], `${d.label} stands in the zone (bottom centre)`).toBeGreaterThan(0.3);
  });

  const rejections: [string, (cfg: ReturnType<typeof goodConfig>) => void, RegExp][] = [
    [
      "a polygon without area",
      (c) =>
        void (c.cameras[0].zones[0].polygon = [
          [0.1, 0.1],
          [0.5, 0.5],
          [0.9, 0.9],
        ]),
      /polygon has no area/,
    ],
    ["an unknown model", (c) => void (c.cameras[0].model = "no-such-model"), /unknown or unloadable model "no-such-model"/],
    [
      "a schedule running backwards",
      (c) => void ((c.cameras[0].zones[0].rules[0] as Record<string, unknown>).schedule = [{ days: ["mon"], from: "20:00", to: "08:00" }]),
      /from < to/,
    ],
  ];
  for (const [what, breakIt, reason] of rejections) {
    it(`rejects ${what} with the reason, and the previous config keeps running`, async () => {
      const restartsBefore = health.at(-1)!.restarts;
      const bad = goodConfig(2);
      breakIt(bad);
      const seen = statuses.length;
      await publishConfig(bad);
      // Wait for this rejection's reason: a status still carrying the previous rejection must not count.
      const status = await waitFor(`the rejection ${reason} in the edge status`, () =>
        statuses.slice(seen).find((s) => s.configError != null && reason.test(s.configError)),
      );
      expect(status.configError).toMatch(reason);
      expect(status.configRevision, "revision 1 still runs").toBe(1);
      const logged = logLines.map((l) => JSON.parse(l) as { msg: string; reason?: string });
      expect(
        logged.some((l) => l.msg.includes("edge config rejected") && reason.test(l.reason ?? "")),
        "the reason is logged",
      ).toBe(true);
      const healthSeen = health.length;
      const after = await waitFor("fresh health", () => health.slice(healthSeen).find((h) => h.sampledPerSec > 0));
      expect(after.state).toBe("streaming");
      expect(after.restarts, "the running camera was not restarted").toBe(restartsBefore);
    });
  }

  it("then accepts a good revision again", async () => {
    await publishConfig(goodConfig(3));
    const status = await waitFor("revision 3 running", () => statuses.find((s) => s.configRevision === 3));
    expect(status.configError).toBeNull();
  });
});
