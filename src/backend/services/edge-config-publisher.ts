import type { MqttClient } from "mqtt";
import { topics, type CameraConfig, type Zone } from "../../contracts/index.ts";
import { cameraConfigSchema, edgeConfigSchema } from "../../contracts/edge-config.ts";
import type { CameraSecrets } from "./camera-secrets.ts";
import { withCredentials } from "./stream-url.ts";
import type { ZoneReferenceRepository } from "../repositories/zone-reference.repository.ts";
import type { EdgeRepository } from "../repositories/edge.repository.ts";
import type { CameraRepository } from "../repositories/camera.repository.ts";
import type { Logger } from "../../shared/logger.ts";

/** Where an edge's config comes from. */
export interface EdgeConfigSources {
  edges: Pick<EdgeRepository, "find" | "nextConfigRevision">;
  cameras: Pick<CameraRepository, "enabledOfEdge">;
  references: Pick<ZoneReferenceRepository, "zonesWithReferences">;
}

/**
 * Builds an edge's config from the registry and publishes it retained (QoS 1) on
 * edge/{id}/config with the next revision. This message is the only place camera
 * credentials leave the database in clear; the broker ACL lets only that edge read it.
 * The payload is never logged.
 */
export class EdgeConfigPublisher {
  constructor(
    private sources: EdgeConfigSources,
    private mqtt: Pick<MqttClient, "publishAsync">,
    private secrets: CameraSecrets,
    private log: Logger,
  ) {}

  async publish(edgeId: string): Promise<number | null> {
    const edge = await this.sources.edges.find(edgeId);
    if (!edge) return null;
    const assigned = await this.sources.cameras.enabledOfEdge(edgeId);
    // A camera without a source cannot be described to the edge; it is named in the log (and
    // shown as "no stream address" in the console) rather than silently left out.
    const cameras = assigned.filter((c) => c.streamUrl);
    const undescribed = assigned.filter((c) => !c.streamUrl).map((c) => c.id);
    if (undescribed.length) this.log.warn({ edgeId, cameras: undescribed }, "cameras without a stream URL are not in the edge config");
    const revision = await this.sources.edges.nextConfigRevision(edgeId);
    // Stored zones carry no reference pixels: the newest capture that still fits each zone is added here.
    const described = await Promise.all(
      cameras.map(async (c) =>
        this.cameraConfig({ ...c, zones: Array.isArray(c.zones) ? await this.sources.references.zonesWithReferences(c.id, c.zones as Zone[]) : c.zones }),
      ),
    );
    // Parsed with the edge's own schema, so the edge receives exactly what it would accept from a file.
    const config = edgeConfigSchema.parse({ revision, cameras: described.flat() });
    await this.mqtt.publishAsync(topics.edgeConfig(edgeId), JSON.stringify(config), { qos: 1, retain: true });
    this.log.info({ edgeId, revision, cameras: cameras.length }, "edge config published");
    return revision;
  }

  /**
   * The camera's stored settings (sampling, model, zone focus, zones); what the registry does
   * not store (loop, full-scan period, watchdog) takes the contract's defaults. A camera whose stored settings the edge would
   * reject is left out with a logged reason rather than sent with substitutes.
   */
  private cameraConfig(c: {
    id: string;
    name: string;
    streamUrl: string | null;
    credentialsSealed: string | null;
    sampling: unknown;
    model: string | null;
    zoneFocus: unknown;
    zones: unknown;
  }): CameraConfig[] {
    const credentials = c.credentialsSealed ? this.secrets.open(c.id, c.credentialsSealed) : null;
    const parsed = cameraConfigSchema.safeParse({
      id: c.id,
      name: c.name,
      url: withCredentials(c.streamUrl!, credentials),
      sampling: c.sampling ?? undefined,
      model: c.model ?? undefined,
      zoneFocus: c.zoneFocus ?? undefined,
      // A file source (the demo clip) plays on a loop, as a camera never ends.
      loop: c.streamUrl!.startsWith("file:"),
      zones: c.zones ?? undefined,
    });
    if (parsed.success) return [parsed.data];
    this.log.error(
      { cameraId: c.id, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
      "camera left out of its edge config: stored settings are invalid",
    );
    return [];
  }
}
