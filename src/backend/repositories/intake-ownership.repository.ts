import type { CandidateEvent } from "../../contracts/index.ts";
import type { OwnershipFacts } from "../ingest/intake-ownership.ts";
import type { RawSql } from "./tx.ts";

/**
 * What the ownership check needs, read inside the batch's transaction. The cases are
 * locked (FOR UPDATE, in candidateId order like the ingest writes), so a case cannot be
 * closed or moved between the check and the write. The same rows give the ingest writes
 * the stored seq and the cameras' legal standing, and the record the heads of the candidates'
 * chains (locked too), so no row is read twice.
 */
export class IntakeOwnershipRepository {
  async facts(tx: RawSql, events: CandidateEvent[]): Promise<OwnershipFacts> {
    const candidateIds = [...new Set(events.map((e) => e.candidateId))];
    const cameraIds = [...new Set(events.map((e) => e.cameraId))];
    // The three reads in one round trip; json_agg keeps the row shapes apart.
    const [{ cases, cameras, heads }] = await tx
      .$queryRawUnsafe<{ cases: LockedCase[] | string; cameras: CameraRow[] | string; heads: HeadRow[] | string }[]>(
        `WITH locked AS (
         SELECT id, "candidateId", "cameraId", state::text AS state, "candidateSeq", phase FROM "Case"
         WHERE "candidateId" = ANY($1::text[]) ORDER BY "candidateId" FOR UPDATE
       ), cams AS (
         SELECT c.id, c."edgeId", e.active AS "edgeActive", c."legalReviewAt", c."locationPublishedAt"
         FROM "Camera" c LEFT JOIN "EdgeWorker" e ON e.id = c."edgeId" WHERE c.id = ANY($2::text[])
       ), heads AS (
         SELECT chain, seq, hash FROM "AuditChainHead" WHERE chain = ANY($1::text[]) ORDER BY chain FOR UPDATE
       )
       SELECT (SELECT COALESCE(json_agg(locked), '[]'::json) FROM locked) AS cases, (SELECT COALESCE(json_agg(cams), '[]'::json) FROM cams) AS cameras,
         (SELECT COALESCE(json_agg(heads), '[]'::json) FROM heads) AS heads`,
        candidateIds,
        cameraIds,
      )
      .then((rows) => rows.map((r) => ({ cases: parsed<LockedCase>(r.cases), cameras: parsed<CameraRow>(r.cameras), heads: parsed<HeadRow>(r.heads) })));
    const chainHeads = new Map<string, { seq: number; hash: string } | null>(candidateIds.map((id) => [id, null]));
    for (const h of heads) chainHeads.set(h.chain, { seq: Number(h.seq), hash: h.hash });
    return {
      cases: new Map(cases.map((c) => [c.candidateId, { id: c.id, cameraId: c.cameraId, state: c.state, seq: Number(c.candidateSeq), phase: c.phase }])),
      cameraOwners: new Map(cameras.map((c) => [c.id, c.edgeId])),
      revokedEdges: new Set(cameras.filter((c) => c.edgeId !== null && c.edgeActive === false).map((c) => c.edgeId!)),
      chainHeads,
      cameraStandings: new Map(
        cameras.map((c) => [
          c.id,
          {
            legalReviewAt: c.legalReviewAt ? new Date(c.legalReviewAt) : null,
            locationPublishedAt: c.locationPublishedAt ? new Date(c.locationPublishedAt) : null,
          },
        ]),
      ),
    };
  }
}

interface LockedCase {
  id: string;
  candidateId: string;
  cameraId: string;
  state: string;
  candidateSeq: number;
  phase: string;
}

interface HeadRow {
  chain: string;
  seq: number;
  hash: string;
}

interface CameraRow {
  id: string;
  edgeId: string | null;
  edgeActive: boolean | null;
  legalReviewAt: string | null;
  locationPublishedAt: string | null;
}

/** Drivers hand json back parsed or as text. */
function parsed<T>(v: T[] | string): T[] {
  return typeof v === "string" ? (JSON.parse(v) as T[]) : v;
}
