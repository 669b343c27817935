import type { MqttClient } from "mqtt";
import { defaultZoneFocusConfig } from "../../contracts/zone-focus-config.ts";
import type { Database } from "../db/database.ts";
import { topics, type EdgeConfig, type CameraConfig, type Zone } from "../../contracts/index.ts";
import { samplingSchema } from "../../contracts/edge-config.ts";
import type { CameraSecrets } from "./camera-secrets.ts";
import { withCredentials } from "./stream-url.ts";
import { zonesWithReferences } from "./zone-references.service.ts";
import type { Logger } from "../../shared/logger.ts";

/**
 * Builds an edge's config from the registry and publishes it retained (QoS 1) on
 * edge/{id}/config with the next revision. This message is the only place camera
 * credentials leave the database in clear; the broker ACL lets only that edge read it.
 * The payload is never logged.
 */
export class EdgeConfigPublisher {
  constructor(
    private db: Database,
    private mqtt: MqttClient,
    private secrets: CameraSecrets,
    private log: Logger,
  ) {}

  async publish(edgeId: string): Promise<number | null> {
    const edge = await this.db.prisma.edgeWorker.findUnique({ where: { id: edgeId } });
    if (!edge) return null;
    const assigned = await this.db.prisma.camera.findMany({ where: { edgeId, enabled: true }, orderBy: { id: "asc" } });
    // A camera without a source cannot be described to the edge; it is named in the log (and
    // shown as "no stream address" in the console) rather than silently left out.
    const cameras = assigned.filter((c) => c.streamUrl);
    const undescribed = assigned.filter((c) => !c.streamUrl).map((c) => c.id);
    if (undescribed.length) this.log.warn({ edgeId, cameras: undescribed }, "cameras without a stream URL are not in the edge config");
    const { configRevision: revision } = await this.db.prisma.edgeWorker.update({ where: { id: edgeId }, data: { configRevision: { increment: 1 } } });
    const config: EdgeConfig = {
      schema: "curbwatch.edge-config/v1",
      revision,
      cameras: await Promise.all(cameras.map(async (c) => ({ ...this.cameraConfig(c), zones: await zonesWithReferences(this.db, c.id, (c.zones as Zone[] | null) ?? []) }))),
    };
    await this.mqtt.publishAsync(topics.edgeConfig(edgeId), JSON.stringify(config), { qos: 1, retain: true });
    this.log.info({ edgeId, revision, cameras: cameras.length }, "edge config published");
    return revision;
  }

  private cameraConfig(c: { id: string; name: string; streamUrl: string | null; credentialsSealed: string | null; sampling: unknown; model: string | null; zones: unknown }): CameraConfig {
    const credentials = c.credentialsSealed ? this.secrets.open(c.id, c.credentialsSealed) : null;
    const sampling = samplingSchema.safeParse(c.sampling);
    return {
      id: c.id,
      name: c.name,
      url: withCredentials(c.streamUrl!, credentials),
      enabled: true,
      sampling: sampling.success ? sampling.data : { mode: "fps", fps: 1 },
      model: c.model ?? "nanodet",
      // A file source (the demo clip) plays on a loop, as a camera never ends.
      loop: c.streamUrl!.startsWith("file:"),
      fullScanSeconds: 10,
      watchdog: { stallSeconds: 20, backoffInitialSeconds: 1, backoffMaxSeconds: 300 },
      zones: (c.zones as Zone[] | null) ?? [],
      zoneFocus: defaultZoneFocusConfig,
    };
  }
}
