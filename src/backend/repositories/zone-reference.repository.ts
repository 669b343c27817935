import type { Database } from "../db/database.ts";
import type { ZoneReference as ZoneReferenceRow } from "../../generated/prisma/client.ts";
import type { Zone, ZoneReference } from "../../contracts/edge-config.ts";
import { referenceFitsZone } from "../../shared/zone-reference-codec.ts";

export type ReferenceRecord = ZoneReferenceRow;

export interface NewReference {
  cameraId: string;
  zoneId: string;
  version: number;
  capturedAt: Date;
  capturedBy: string;
  region: ZoneReference["region"];
  width: number;
  height: number;
  /** The grey pixels (not base64). */
  gray: Buffer;
}

function referenceOfRow(r: ReferenceRecord): ZoneReference {
  return {
    version: r.version,
    capturedAt: r.capturedAt.toISOString(),
    region: r.region as ZoneReference["region"],
    width: r.width,
    height: r.height,
    gray: Buffer.from(r.gray).toString("base64"),
  };
}

/** Clear-pavement references per camera zone, kept as versions (never overwritten). */
export class ZoneReferenceRepository {
  constructor(private db: Database) {}

  latest(cameraId: string, zoneId: string): Promise<ReferenceRecord | null> {
    return this.db.prisma.zoneReference.findFirst({ where: { cameraId, zoneId }, orderBy: { version: "desc" } });
  }

  /** Newest first. */
  history(cameraId: string, zoneId: string): Promise<ReferenceRecord[]> {
    return this.db.prisma.zoneReference.findMany({ where: { cameraId, zoneId }, orderBy: { version: "desc" } });
  }

  create(r: NewReference): Promise<ReferenceRecord> {
    return this.db.prisma.zoneReference.create({ data: { ...r, gray: new Uint8Array(r.gray) } });
  }

  /**
   * The zones as the edge gets them: each with its newest reference when that reference covers
   * the zone's current outline (a moved zone needs a new capture), never with a stale one.
   */
  async zonesWithReferences(cameraId: string, zones: readonly Zone[]): Promise<Zone[]> {
    const rows = await this.db.prisma.zoneReference.findMany({ where: { cameraId }, orderBy: { version: "desc" } });
    return zones.map(({ reference: _ignored, ...zone }) => {
      const newest = rows.find((r) => r.zoneId === zone.id);
      if (!newest) return zone;
      const reference = referenceOfRow(newest);
      return referenceFitsZone(reference, zone.polygon) ? { ...zone, reference } : zone;
    });
  }
}
