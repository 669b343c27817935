import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CameraConfig } from "../contracts/edge-config.ts";
import { readEdgeConfigFile } from "../edge/config/edge-config-file.ts";
import type { RunningBackend } from "./server.ts";
import { EdgeRegistryService } from "./services/edge-registry.service.ts";
import { backendGraph } from "./composition-root.ts";
import { EdgeConfigPublisher } from "./services/edge-config-publisher.ts";
import type { SeededCamera } from "./repositories/camera.repository.ts";

/**
 * `curbwatch start` runs its own edge worker next to the back end. Rather than an
 * enrollment round-trip, the back end registers that edge directly with fresh credentials.
 * The cameras of its local config file become registry cameras like any other (a file
 * source the administrator sees and edits, with its zones): the file only seeds the
 * registry once, and the registry's config is then published, so saving any camera of
 * that edge later never drops them. Returns the environment the edge child needs.
 */
export async function provisionLocalEdge(backend: RunningBackend, edgeId: string, edgeConfigFile: string | undefined): Promise<NodeJS.ProcessEnv> {
  const { log } = backend.ctx;
  const { repositories: repos, cameraSecrets } = backendGraph(backend.ctx);
  const edges = new EdgeRegistryService(repos.edges, repos.cameras);
  const cameras = edgeConfigFile ? camerasIn(edgeConfigFile) : [];
  const creds = await edges.setCredentials(edgeId, "local edge (curbwatch start)");
  for (const cam of cameras) {
    const existing = await repos.cameras.find(cam.id);
    // An administrator's edits win over the seed: only a camera never described is filled in.
    if (existing?.streamUrl) await repos.cameras.assignToEdge(cam.id, edgeId);
    else await repos.cameras.seed(cam.id, edgeId, registryFields(cam));
  }
  await backend.ctx.brokerAccess?.refresh();
  if (cameras.length) {
    const sources = { edges: repos.edges, cameras: repos.cameras, references: repos.zoneReferences };
    await new EdgeConfigPublisher(sources, backend.ctx.mqtt, cameraSecrets, log.child({ part: "edge-config" })).publish(edgeId);
  }
  return { MQTT_USERNAME: creds.mqtt.username, MQTT_PASSWORD: creds.mqtt.password, EDGE_TOKEN: creds.apiToken, EDGE_ID: edgeId };
}

/** A file camera as the registry keeps it: its source as a file:// URL (the API never accepts one; only this seed writes it). */
function registryFields(cam: CameraConfig): SeededCamera {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(cam.url) ? cam.url : pathToFileURL(path.resolve(cam.url)).href;
  return {
    name: cam.name ?? cam.id,
    streamUrl: url,
    sampling: cam.sampling,
    model: cam.model,
    zones: cam.zones,
  };
}

function camerasIn(file: string): CameraConfig[] {
  return readEdgeConfigFile(file).cameras;
}
