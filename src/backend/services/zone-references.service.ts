import { DomainError } from "../domain/errors.ts";
import type { Zone, ZoneReference } from "../../contracts/edge-config.ts";
import type { CameraRegistryService } from "./camera-registry.service.ts";
import type { EdgeConfigPublisher } from "./edge-config-publisher.ts";
import { referenceFromSnapshot } from "./zone-reference.ts";
import type { ReferenceRecord, ZoneReferenceRepository } from "../repositories/zone-reference.repository.ts";
import type { CameraRepository } from "../repositories/camera.repository.ts";

/** What the API shows of a reference: who took it and when, not its pixels. */
function referenceView(r: ReferenceRecord) {
  return {
    cameraId: r.cameraId,
    zoneId: r.zoneId,
    version: r.version,
    capturedAt: r.capturedAt,
    capturedBy: r.capturedBy,
    region: r.region,
    width: r.width,
    height: r.height,
  };
}

/**
 * Clear-pavement references per zone: captured from the camera's current frame, kept as
 * versions (never overwritten), the newest published to the edge with the camera's config.
 */
export class ZoneReferencesService {
  constructor(
    private references: Pick<ZoneReferenceRepository, "latest" | "history" | "create">,
    private cameraRows: Pick<CameraRepository, "find">,
    private cameras: Pick<CameraRegistryService, "streamUrlForSnapshot">,
    private publisher: Pick<EdgeConfigPublisher, "publish">,
    private grab: (url: string) => Promise<Buffer>,
    private clock: () => Date = () => new Date(),
  ) {}

  async capture(cameraId: string, zoneId: string, capturedBy: string) {
    const zone = await this.zoneOf(cameraId, zoneId);
    const jpeg = await this.grab(await this.cameras.streamUrlForSnapshot(cameraId));
    const latest = await this.references.latest(cameraId, zoneId);
    const capturedAt = this.clock();
    let ref: ZoneReference;
    try {
      ref = await referenceFromSnapshot(jpeg, zone.polygon, { version: (latest?.version ?? 0) + 1, capturedAt });
    } catch (err) {
      throw new DomainError("upstream_failed", `the camera's frame could not be read as an image (${(err as Error).message})`);
    }
    const row = await this.references.create({
      cameraId,
      zoneId,
      version: ref.version,
      capturedAt,
      capturedBy,
      region: ref.region,
      width: ref.width,
      height: ref.height,
      gray: Buffer.from(ref.gray, "base64"),
    });
    const camera = await this.cameraRows.find(cameraId);
    if (camera?.edgeId) await this.publisher.publish(camera.edgeId);
    return referenceView(row);
  }

  async history(cameraId: string, zoneId: string) {
    await this.zoneOf(cameraId, zoneId);
    const rows = await this.references.history(cameraId, zoneId);
    return rows.map(referenceView);
  }

  private async zoneOf(cameraId: string, zoneId: string): Promise<Zone> {
    const camera = await this.cameraRows.find(cameraId);
    if (!camera) throw new DomainError("not_found", `camera ${cameraId} does not exist`);
    const zone = ((camera.zones as Zone[] | null) ?? []).find((z) => z.id === zoneId);
    if (!zone) throw new DomainError("not_found", `camera ${cameraId} has no zone ${zoneId}`);
    return zone;
  }
}
