import type { Database } from "../db/database.ts";
import { DomainError } from "../domain/errors.ts";
import type { Zone, ZoneReference } from "../../contracts/edge-config.ts";
import type { CameraRegistry } from "./camera-registry.service.ts";
import type { EdgeConfigPublisher } from "./edge-config-publisher.ts";
import { referenceFromSnapshot } from "./zone-reference.ts";

import type { ReferenceRow } from "../repositories/zone-reference.repository.ts";

/** What the API shows of a reference: who took it and when, not its pixels. */
function referenceView(r: ReferenceRow) {
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
export class ZoneReferences {
  constructor(
    private db: Database,
    private cameras: CameraRegistry,
    private publisher: EdgeConfigPublisher,
    private grab: (url: string) => Promise<Buffer>,
  ) {}

  async capture(cameraId: string, zoneId: string, capturedBy: string) {
    const zone = await this.zoneOf(cameraId, zoneId);
    const jpeg = await this.grab(await this.cameras.streamUrlForSnapshot(cameraId));
    const latest = await this.db.prisma.zoneReference.findFirst({ where: { cameraId, zoneId }, orderBy: { version: "desc" } });
    const capturedAt = new Date();
    let ref: ZoneReference;
    try {
      ref = await referenceFromSnapshot(jpeg, zone.polygon, { version: (latest?.version ?? 0) + 1, capturedAt });
    } catch (err) {
      throw new DomainError("upstream_failed", `the camera's frame could not be read as an image (${(err as Error).message})`);
    }
    const row = await this.db.prisma.zoneReference.create({
      data: {
        cameraId,
        zoneId,
        version: ref.version,
        capturedAt,
        capturedBy,
        region: ref.region,
        width: ref.width,
        height: ref.height,
        gray: Buffer.from(ref.gray, "base64"),
      },
    });
    const camera = await this.db.prisma.camera.findUnique({ where: { id: cameraId } });
    if (camera?.edgeId) await this.publisher.publish(camera.edgeId);
    return referenceView(row);
  }

  async history(cameraId: string, zoneId: string) {
    await this.zoneOf(cameraId, zoneId);
    const rows = await this.db.prisma.zoneReference.findMany({ where: { cameraId, zoneId }, orderBy: { version: "desc" } });
    return rows.map(referenceView);
  }

  private async zoneOf(cameraId: string, zoneId: string): Promise<Zone> {
    const camera = await this.db.prisma.camera.findUnique({ where: { id: cameraId } });
    if (!camera) throw new DomainError("not_found", `camera ${cameraId} does not exist`);
    const zone = ((camera.zones as Zone[] | null) ?? []).find((z) => z.id === zoneId);
    if (!zone) throw new DomainError("not_found", `camera ${cameraId} has no zone ${zoneId}`);
    return zone;
  }
}
