import type { Database } from "../db/database.ts";
import type { Zone, ZoneReference } from "../../contracts/edge-config.ts";
import { referenceFitsZone } from "../../shared/zone-reference-codec.ts";

export type ReferenceRow = NonNullable<Awaited<ReturnType<Database["prisma"]["zoneReference"]["findFirst"]>>>;

export function referenceOfRow(r: ReferenceRow): ZoneReference {
  return {
    version: r.version,
    capturedAt: r.capturedAt.toISOString(),
    region: r.region as ZoneReference["region"],
    width: r.width,
    height: r.height,
    gray: Buffer.from(r.gray).toString("base64"),
  };
}

/**
 * The zones as the edge gets them: each with its newest reference when that reference covers
 * the zone's current outline (a moved zone needs a new capture), never with a stale one.
 */
export async function zonesWithReferences(db: Database, cameraId: string, zones: readonly Zone[]): Promise<Zone[]> {
  const rows = await db.prisma.zoneReference.findMany({ where: { cameraId }, orderBy: { version: "desc" } });
  return zones.map(({ reference: _ignored, ...zone }) => {
    const newest = rows.find((r) => r.zoneId === zone.id);
    if (!newest) return zone;
    const reference = referenceOfRow(newest);
    return referenceFitsZone(reference, zone.polygon) ? { ...zone, reference } : zone;
  });
}
