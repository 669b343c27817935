import fs from "node:fs";
import YAML from "yaml";
import type { RunningBackend } from "./server.ts";
import { EdgeRegistry } from "./services/edge-registry.service.ts";

/**
 * `curbwatch start` runs its own edge worker next to the back end. Rather than an
 * enrollment round-trip, the back end registers that edge directly with fresh credentials
 * and assigns it the cameras of its local config file, so the broker lets it publish
 * exactly those cameras. Returns the environment the edge child needs.
 */
export async function provisionLocalEdge(backend: RunningBackend, edgeId: string, edgeConfigFile: string | undefined): Promise<NodeJS.ProcessEnv> {
  const { db } = backend.ctx;
  const edges = new EdgeRegistry(db);
  const cameraIds = edgeConfigFile ? camerasIn(edgeConfigFile) : [];
  for (const id of cameraIds) {
    await db.prisma.camera.upsert({ where: { id }, create: { id, name: id, edgeId, enabled: true }, update: { edgeId } });
  }
  const creds = await edges.setCredentials(edgeId, "local edge (curbwatch start)");
  await backend.ctx.brokerAccess?.refresh();
  return { MQTT_USERNAME: creds.mqtt.username, MQTT_PASSWORD: creds.mqtt.password, EDGE_TOKEN: creds.apiToken, EDGE_ID: edgeId };
}

function camerasIn(file: string): string[] {
  const parsed = YAML.parse(fs.readFileSync(file, "utf8")) as { cameras?: { id?: unknown }[] };
  return (parsed.cameras ?? []).map((c) => c.id).filter((id): id is string => typeof id === "string");
}
