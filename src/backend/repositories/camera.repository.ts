import type { Database } from "../db/database.ts";
import { Prisma, type Camera } from "../../generated/prisma/client.ts";
import type { CameraInput } from "../../contracts/api/camera.ts";
import type { CameraConfig, Zone } from "../../contracts/edge-config.ts";

export type CameraRecord = Camera;

/** A camera as the registry stores it: dates parsed, credentials sealed, the URL without them. */
export interface CameraWrite extends Omit<
  CameraInput,
  "legalReviewAt" | "locationPublishedAt" | "streamUrl" | "credentials" | "sampling" | "zones" | "zoneFocus"
> {
  legalReviewAt?: Date | null;
  locationPublishedAt?: Date | null;
  streamUrl: string | null;
  credentialsSealed: string | null;
  /** Absent keeps what is stored. */
  sampling?: NonNullable<CameraInput["sampling"]>;
  /** null stores "use the defaults"; absent keeps what is stored. */
  zoneFocus?: CameraInput["zoneFocus"];
  /** Absent keeps what is stored. */
  zones?: Zone[];
}

/** A camera of an edge's local config file, as the registry first records it. */
export interface SeededCamera {
  name: string;
  streamUrl: string;
  sampling: CameraConfig["sampling"];
  model?: string;
  zones: Zone[];
}

/** The camera registry's rows. */
export class CameraRepository {
  constructor(private db: Database) {}

  list(): Promise<CameraRecord[]> {
    return this.db.prisma.camera.findMany({ orderBy: { id: "asc" } });
  }

  find(id: string): Promise<CameraRecord | null> {
    return this.db.prisma.camera.findUnique({ where: { id } });
  }

  save(id: string, w: CameraWrite): Promise<CameraRecord> {
    const data = {
      ...w,
      sampling: w.sampling as Prisma.InputJsonValue | undefined,
      zoneFocus: w.zoneFocus === null ? Prisma.DbNull : (w.zoneFocus ?? undefined),
      zones: w.zones as Prisma.InputJsonValue | undefined,
    };
    return this.db.prisma.camera.upsert({ where: { id }, create: { id, ...data }, update: data });
  }

  async remove(id: string): Promise<void> {
    await this.db.prisma.camera.delete({ where: { id } });
  }

  async idsOfEdge(edgeId: string): Promise<string[]> {
    return (await this.db.prisma.camera.findMany({ where: { edgeId }, select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);
  }

  /** Which of these edges serves which cameras, by camera id. */
  async assignmentsOf(edgeIds: string[]): Promise<{ id: string; edgeId: string }[]> {
    const rows = await this.db.prisma.camera.findMany({ where: { edgeId: { in: edgeIds } }, select: { id: true, edgeId: true }, orderBy: { id: "asc" } });
    return rows.map((c) => ({ id: c.id, edgeId: c.edgeId! }));
  }

  /** The enabled cameras of an edge, by id: what its config describes. */
  enabledOfEdge(edgeId: string): Promise<CameraRecord[]> {
    return this.db.prisma.camera.findMany({ where: { edgeId, enabled: true }, orderBy: { id: "asc" } });
  }

  async assignToEdge(id: string, edgeId: string): Promise<void> {
    await this.db.prisma.camera.update({ where: { id }, data: { edgeId } });
  }

  /** Records a file camera of an edge (created enabled, or described anew). */
  async seed(id: string, edgeId: string, c: SeededCamera): Promise<void> {
    const described = {
      name: c.name,
      streamUrl: c.streamUrl,
      sampling: c.sampling as Prisma.InputJsonValue,
      model: c.model,
      zones: c.zones as unknown as Prisma.InputJsonValue,
    };
    await this.db.prisma.camera.upsert({ where: { id }, create: { id, edgeId, enabled: true, ...described }, update: { edgeId, ...described } });
  }
}
