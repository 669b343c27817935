import { finalStates } from "../domain/case-transitions.ts";
import type { Tx } from "./tx.ts";

export class EvidenceRepository {
  async recordStored(tx: Tx, e: { sha256: string; bytes: number; contentType: string }): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Evidence" (sha256, bytes, "contentType") VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
      e.sha256,
      e.bytes,
      e.contentType,
    );
  }

  /** True when the link is new (a retried upload links nothing twice). */
  async link(tx: Tx, l: { candidateId: string; sha256: string; kind: string; bytes: number; contentType: string }): Promise<boolean> {
    const n = await tx.$executeRawUnsafe(
      `INSERT INTO "EvidenceLink" ("candidateId", sha256, kind, bytes, "contentType") VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      l.candidateId,
      l.sha256,
      l.kind,
      l.bytes,
      l.contentType,
    );
    return n === 1;
  }

  /** Was an earlier upload of this candidate+file already recorded (then a retry records nothing)? */
  async wasRecorded(tx: Tx, candidateId: string, sha256: string): Promise<boolean> {
    const rows = await tx.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "AuditEntry" WHERE chain = $1 AND "evidenceSha256" = $2 AND action = 'evidence.stored'`,
      candidateId,
      sha256,
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** How many files of this kind are linked to the candidate (e.g. officers' photos of its case). */
  countOfKind(tx: Tx, candidateId: string, kind: string): Promise<number> {
    return tx.evidenceLink.count({ where: { candidateId, kind } });
  }

  find(tx: Tx, sha256: string) {
    return tx.evidence.findUnique({ where: { sha256 } });
  }

  isLinkedTo(tx: Tx, sha256: string, candidateIds: string[]) {
    return tx.evidenceLink.findFirst({ where: { sha256, candidateId: { in: candidateIds } } });
  }

  /**
   * Files stored before `cutoff` that no open case needs. A case is open unless it is
   * closed, rejected or merged into a case that is itself closed or rejected.
   */
  async purgeable(tx: Tx, cutoff: Date, limit: number): Promise<{ sha256: string; candidateIds: string[] }[]> {
    const rows = await tx.$queryRawUnsafe<{ sha256: string; candidateIds: string[] | null }[]>(
      `SELECT e.sha256, array_remove(array_agg(DISTINCT l."candidateId"), NULL) AS "candidateIds"
       FROM "Evidence" e LEFT JOIN "EvidenceLink" l ON l.sha256 = e.sha256
       WHERE e."storedAt" < $1::timestamptz
         AND NOT EXISTS (
           SELECT 1 FROM "EvidenceLink" l2
           JOIN "Case" c ON c."candidateId" = l2."candidateId"
           LEFT JOIN "Case" t ON t.id = c."mergedIntoId"
           WHERE l2.sha256 = e.sha256
             AND (c.state::text <> ALL($2::text[]) OR (c.state = 'merged' AND (t.id IS NULL OR t.state::text NOT IN ('closed', 'rejected'))))
         )
       GROUP BY e.sha256 LIMIT $3`,
      cutoff.toISOString(),
      [...finalStates],
      limit,
    );
    return rows.map((r) => ({ sha256: r.sha256, candidateIds: r.candidateIds ?? [] }));
  }

  async forget(tx: Tx, sha256: string): Promise<void> {
    await tx.$executeRawUnsafe(`DELETE FROM "Evidence" WHERE sha256 = $1`, sha256);
  }
}
