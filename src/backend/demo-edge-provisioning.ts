import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Prisma } from "../generated/prisma/client.ts";
import type { CameraConfig } from "../contracts/edge-config.ts";
import { readEdgeConfigFile } from "../edge/config/edge-config-file.ts";
import type { RunningBackend } from "./server.ts";
import { EdgeRegistry } from "./services/edge-registry.service.ts";
import { backendGraph } from "./composition-root.ts";
import { EdgeConfigPublisher } from "./services/edge-config-publisher.ts";

/**
 * `curbwatch start` runs its own edge worker next to the back end. Rather than an
 * enrollment round-trip, the back end registers that edge directly with fresh credentials.
 * The cameras of its local config file become registry cameras like any other (a file
 * source the administrator sees and edits, with its zones): the file only seeds the
 * registry once, and the registry's config is then published, so saving any camera of
 * that edge later never drops them. Returns the environment the edge child needs.
 */
export async function provisionLocalEdge(backend: RunningBackend, edgeId: string, edgeConfigFile: string | undefined): Promise<NodeJS.ProcessEnv> {
  const { db, log } = backend.ctx;
  const edges = new EdgeRegistry(db);
  const cameras = edgeConfigFile ? camerasIn(edgeConfigFile) : [];
  const creds = await edges.setCredentials(edgeId, "local edge (curbwatch start)");
  for (const cam of cameras) {
    const existing = await db.prisma.camera.findUnique({ where: { id: cam.id } });
    // An administrator's edits win over the seed: only a camera never described is filled in.
    if (existing?.streamUrl) await db.prisma.camera.update({ where: { id: cam.id }, data: { edgeId } });
    else {
      const described = registryFields(cam);
      await db.prisma.camera.upsert({ where: { id: cam.id }, create: { id: cam.id, edgeId, enabled: true, ...described }, update: { edgeId, ...described } });
    }
  }
  await backend.ctx.brokerAccess?.refresh();
  if (cameras.length) {
    await new EdgeConfigPublisher(db, backend.ctx.mqtt, backendGraph(backend.ctx).cameraSecrets, log.child({ part: "edge-config" })).publish(edgeId);
  }
  return { MQTT_USERNAME: creds.mqtt.username, MQTT_PASSWORD: creds.mqtt.password, EDGE_TOKEN: creds.apiToken, EDGE_ID: edgeId };
}

/** A file camera as the registry keeps it: its source as a file:// URL (the API never accepts one; only this seed writes it). */
function registryFields(cam: CameraConfig): Omit<Prisma.CameraUncheckedCreateInput, "id"> {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(cam.url) ? cam.url : pathToFileURL(path.resolve(cam.url)).href;
  return {
    name: cam.name ?? cam.id,
    streamUrl: url,
    sampling: cam.sampling as Prisma.InputJsonValue,
    model: cam.model,
    zones: cam.zones as unknown as Prisma.InputJsonValue,
  };
}

function camerasIn(file: string): CameraConfig[] {
  return readEdgeConfigFile(file).cameras;
}
