import type { Database } from "../db/database.ts";
import type { EdgeWorker } from "../../generated/prisma/client.ts";

export type EdgeRecord = EdgeWorker;

/** What the edge list shows: never a hash. */
export type EdgeSummary = Pick<EdgeRecord, "id" | "name" | "active" | "enrolledAt" | "enrollExpiresAt" | "configRevision" | "createdAt" | "updatedAt">;

/** The hashes of an edge's new credentials (the secrets themselves are never stored). */
export interface EdgeCredentialHashes {
  apiTokenHash: string;
  mqttPasswordHash: string;
  mosquittoHash: string;
  enrolledAt: Date;
}

/** Edge workers and the hashes of their credentials. */
export class EdgeRepository {
  constructor(private db: Database) {}

  list(): Promise<EdgeSummary[]> {
    return this.db.prisma.edgeWorker.findMany({
      orderBy: { id: "asc" },
      select: { id: true, name: true, active: true, enrolledAt: true, enrollExpiresAt: true, configRevision: true, createdAt: true, updatedAt: true },
    });
  }

  find(id: string): Promise<EdgeRecord | null> {
    return this.db.prisma.edgeWorker.findUnique({ where: { id } });
  }

  findByEnrollmentHash(enrollTokenHash: string): Promise<EdgeRecord | null> {
    return this.db.prisma.edgeWorker.findUnique({ where: { enrollTokenHash } });
  }

  findByApiTokenHash(apiTokenHash: string): Promise<EdgeRecord | null> {
    return this.db.prisma.edgeWorker.findUnique({ where: { apiTokenHash } });
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.prisma.edgeWorker.count({ where: { id } })) > 0;
  }

  /** Registers the edge (or re-activates it) with a new one-time enrollment. */
  async saveEnrollment(id: string, name: string, enrollTokenHash: string, enrollExpiresAt: Date): Promise<void> {
    await this.db.prisma.edgeWorker.upsert({
      where: { id },
      create: { id, name, enrollTokenHash, enrollExpiresAt },
      update: { name, enrollTokenHash, enrollExpiresAt, active: true },
    });
  }

  /** New credentials; the enrollment is spent. Registers the edge under `name` when it is new. */
  async saveCredentials(id: string, name: string, c: EdgeCredentialHashes): Promise<void> {
    const data = { ...c, enrollTokenHash: null, enrollExpiresAt: null };
    await this.db.prisma.edgeWorker.upsert({ where: { id }, create: { id, name, ...data }, update: data });
  }

  /** Deactivates the edge and forgets every credential hash; false when there is no such edge. */
  async revoke(id: string): Promise<boolean> {
    const r = await this.db.prisma.edgeWorker.updateMany({
      where: { id },
      data: { active: false, apiTokenHash: null, mqttPasswordHash: null, mosquittoHash: null, enrollTokenHash: null },
    });
    return r.count > 0;
  }

  /** Active edges that have a broker password, by id. */
  async withBrokerPassword(): Promise<{ id: string; mosquittoHash: string }[]> {
    const rows = await this.db.prisma.edgeWorker.findMany({ where: { active: true, mosquittoHash: { not: null } }, orderBy: { id: "asc" } });
    return rows.map((e) => ({ id: e.id, mosquittoHash: e.mosquittoHash! }));
  }

  /** Counts the edge's config revision up and returns the new one. */
  async nextConfigRevision(id: string): Promise<number> {
    return (await this.db.prisma.edgeWorker.update({ where: { id }, data: { configRevision: { increment: 1 } } })).configRevision;
  }
}
