import type { CandidateEvent } from "../../contracts/index.ts";
import type { OwnershipFacts } from "../ingest/intake-ownership.ts";
import type { Tx } from "./tx.ts";

/**
 * What the ownership check needs, read inside the batch's transaction. The cases are
 * locked (FOR UPDATE, in candidateId order like the ingest writes), so a case cannot be
 * closed or moved between the check and the write.
 */
export class IntakeOwnershipRepository {
  async facts(tx: Tx, events: CandidateEvent[]): Promise<OwnershipFacts> {
    const candidateIds = [...new Set(events.map((e) => e.candidateId))];
    const cameraIds = [...new Set(events.map((e) => e.cameraId))];
    const cases = await tx.$queryRawUnsafe<{ id: string; candidateId: string; cameraId: string; state: string }[]>(
      `SELECT id, "candidateId", "cameraId", state::text AS state FROM "Case" WHERE "candidateId" = ANY($1::text[]) ORDER BY "candidateId" FOR UPDATE`,
      candidateIds,
    );
    const cameras = await tx.$queryRawUnsafe<{ id: string; edgeId: string | null; edgeActive: boolean | null }[]>(
      `SELECT c.id, c."edgeId", e.active AS "edgeActive" FROM "Camera" c LEFT JOIN "EdgeWorker" e ON e.id = c."edgeId" WHERE c.id = ANY($1::text[])`,
      cameraIds,
    );
    return {
      cases: new Map(cases.map((c) => [c.candidateId, { id: c.id, cameraId: c.cameraId, state: c.state }])),
      cameraOwners: new Map(cameras.map((c) => [c.id, c.edgeId])),
      revokedEdges: new Set(cameras.filter((c) => c.edgeId !== null && c.edgeActive === false).map((c) => c.edgeId!)),
    };
  }
}
