import fs from "node:fs";
import YAML from "yaml";
import type { MqttClient } from "mqtt";
import type { CurbWatchConfig } from "../config/schema.ts";
import { edgeConfigSchema, topics, type EdgeConfig, type EdgeStatus } from "../contracts/index.ts";
import { connectMqtt, endMqtt } from "../backend/mqtt/connection.ts";
import type { Logger } from "../shared/logger.ts";
import { VERSION } from "../shared/version.ts";

export interface RunningEdge {
  edgeId: string;
  mqtt: MqttClient;
  close(): Promise<void>;
}

export function readEdgeConfigFile(file: string): EdgeConfig {
  const raw = YAML.parse(fs.readFileSync(file, "utf8"));
  const r = edgeConfigSchema.safeParse(raw);
  if (!r.success) throw new Error(`invalid edge config ${file}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return r.data;
}

/**
 * Foundation edge worker: announces itself (retained status, Last Will "offline").
 * The camera pipelines (ingest → detect → track → rules → evidence → outbox) plug in here.
 */
export async function startEdgeWorker(config: CurbWatchConfig, log: Logger, opts: { brokerUrl: string }): Promise<RunningEdge> {
  const edgeId = config.edge.id;
  const startedAt = new Date().toISOString();
  const status = (state: EdgeStatus["state"], cameras: string[]): EdgeStatus => ({ edgeId, state, version: VERSION, cameras, startedAt, at: new Date().toISOString() });
  const mqtt = connectMqtt({
    url: opts.brokerUrl,
    clientId: `curbwatch-edge-${edgeId}`,
    username: config.mqtt.username,
    password: config.mqtt.password,
    clean: false,
    will: { topic: topics.edgeStatus(edgeId), payload: Buffer.from(JSON.stringify(status("offline", []))), qos: 1, retain: true },
    log,
  });
  const edgeConfig = config.edge.configFile ? readEdgeConfigFile(config.edge.configFile) : edgeConfigSchema.parse({});
  const cameraIds = edgeConfig.cameras.map((c) => c.id);
  mqtt.on("connect", () => {
    mqtt.publish(topics.edgeStatus(edgeId), JSON.stringify(status("online", cameraIds)), { qos: 1, retain: true });
  });
  return {
    edgeId,
    mqtt,
    async close() {
      await mqtt.publishAsync(topics.edgeStatus(edgeId), JSON.stringify(status("offline", cameraIds)), { qos: 1, retain: true }).catch(() => {});
      await endMqtt(mqtt);
    },
  };
}
