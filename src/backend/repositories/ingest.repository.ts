import { randomUUID } from "node:crypto";
import type { CoalescedCandidate } from "../ingest/candidate-message.ts";
import { penaltyEvidenceStanding } from "../domain/penalty-evidence.ts";
import type { Tx } from "./tx.ts";

export interface AppliedCandidate {
  caseId: string;
  candidateId: string;
  created: boolean;
  before: { seq: number; phase: string } | null;
  item: CoalescedCandidate;
}

export interface BatchResult {
  applied: AppliedCandidate[];
  /** Messages whose seq was not newer than the stored one (duplicate or out of order). */
  stale: number;
}

const CASE_COLUMNS = `x(id text, "candidateId" text, "candidateSeq" int, phase text, "edgeId" text, "cameraId" text, "zoneId" text,
  "ruleId" text, rule text, "eventMajor" text, "eventMinor" text, "shopId" text, "subjectKey" text,
  "startedAt" timestamptz, "lastSeenAt" timestamptz, "endedAt" timestamptz, "bestScore" float8, objects jsonb,
  priority int, "penaltyEvidenceUsable" boolean, "penaltyEvidenceNote" text)`;

/**
 * Candidate ingest as a few set-based statements per batch: lock the existing rows,
 * insert the new ones, update the ones whose seq is newer, link evidence. The seq
 * comparison sits in SQL, so a duplicate or late message can never move a case backwards.
 */
export class IngestRepository {
  async applyBatch(tx: Tx, items: CoalescedCandidate[]): Promise<BatchResult> {
    const ids = items.map((i) => i.event.candidateId);
    let existing = await this.lockExisting(tx, ids);
    const codes = await this.eventPriorities(tx, items);
    const cameras = await this.cameraStandings(tx, items);

    const fresh = items.filter((i) => !existing.has(i.event.candidateId));
    const created = new Map<string, string>();
    if (fresh.length) {
      const rows = fresh.map((i) => this.row(i, randomUUID(), codes, cameras));
      const inserted = await tx.$queryRawUnsafe<{ id: string; candidateId: string }[]>(
        `INSERT INTO "Case" (id, "candidateId", "candidateSeq", phase, "edgeId", "cameraId", "zoneId", "ruleId", rule, "eventMajor", "eventMinor",
           "shopId", "subjectKey", "startedAt", "lastSeenAt", "endedAt", "bestScore", objects, priority, "penaltyEvidenceUsable", "penaltyEvidenceNote")
         SELECT id, "candidateId", "candidateSeq", phase, "edgeId", "cameraId", "zoneId", "ruleId", rule, "eventMajor", "eventMinor",
           "shopId", "subjectKey", "startedAt", "lastSeenAt", "endedAt", "bestScore", objects, priority, "penaltyEvidenceUsable", "penaltyEvidenceNote"
         FROM jsonb_to_recordset($1::jsonb) AS ${CASE_COLUMNS}
         ORDER BY "candidateId"
         ON CONFLICT ("candidateId") DO NOTHING
         RETURNING id, "candidateId"`,
        JSON.stringify(rows),
      );
      for (const r of inserted) created.set(r.candidateId, r.id);
      // Another replica inserted some of these between our lock and our insert: treat them as updates.
      const raced = fresh.filter((i) => !created.has(i.event.candidateId)).map((i) => i.event.candidateId);
      if (raced.length) existing = new Map([...existing, ...(await this.lockExisting(tx, raced))]);
    }

    const newer = items.filter((i) => {
      const cur = existing.get(i.event.candidateId);
      return cur !== undefined && i.event.seq > cur.seq;
    });
    if (newer.length) {
      await tx.$executeRawUnsafe(
        `UPDATE "Case" c SET "candidateSeq" = x."candidateSeq", phase = x.phase, "lastSeenAt" = x."lastSeenAt",
           "endedAt" = COALESCE(x."endedAt", c."endedAt"), "bestScore" = GREATEST(c."bestScore", x."bestScore"), objects = x.objects,
           "shopId" = COALESCE(c."shopId", x."shopId"), "subjectKey" = COALESCE(c."subjectKey", x."subjectKey"), "updatedAt" = now()
         FROM jsonb_to_recordset($1::jsonb) AS ${CASE_COLUMNS}
         WHERE c."candidateId" = x."candidateId" AND c."candidateSeq" < x."candidateSeq"`,
        JSON.stringify(newer.map((i) => this.row(i, existing.get(i.event.candidateId)!.id, codes, cameras))),
      );
    }

    const links = items.flatMap((i) =>
      i.evidence.map((e) => ({ candidateId: i.event.candidateId, sha256: e.sha256, kind: e.kind, bytes: e.bytes, contentType: e.contentType })),
    );
    if (links.length) {
      await tx.$executeRawUnsafe(
        `INSERT INTO "EvidenceLink" ("candidateId", sha256, kind, bytes, "contentType")
         SELECT "candidateId", sha256, kind, bytes, "contentType" FROM jsonb_to_recordset($1::jsonb)
           AS x("candidateId" text, sha256 text, kind text, bytes int, "contentType" text)
         ON CONFLICT DO NOTHING`,
        JSON.stringify(links),
      );
    }

    const newerSet = new Set(newer);
    const applied: AppliedCandidate[] = [];
    let stale = 0;
    for (const i of items) {
      const id = i.event.candidateId;
      const duplicatesInBatch = i.seqs.length - new Set(i.seqs).size;
      if (created.has(id)) {
        applied.push({ caseId: created.get(id)!, candidateId: id, created: true, before: null, item: i });
        stale += duplicatesInBatch;
      } else if (newerSet.has(i)) {
        const cur = existing.get(id)!;
        applied.push({ caseId: cur.id, candidateId: id, created: false, before: { seq: cur.seq, phase: cur.phase }, item: i });
        stale += duplicatesInBatch + i.seqs.filter((s) => s <= cur.seq).length;
      } else {
        stale += i.seqs.length;
      }
    }
    return { applied, stale };
  }

  private async lockExisting(tx: Tx, candidateIds: string[]): Promise<Map<string, { id: string; seq: number; phase: string }>> {
    if (candidateIds.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ id: string; candidateId: string; candidateSeq: number; phase: string }[]>(
      `SELECT id, "candidateId", "candidateSeq", phase FROM "Case" WHERE "candidateId" = ANY($1::text[]) ORDER BY "candidateId" FOR UPDATE`,
      candidateIds,
    );
    return new Map(rows.map((r) => [r.candidateId, { id: r.id, seq: Number(r.candidateSeq), phase: r.phase }]));
  }

  private async eventPriorities(tx: Tx, items: CoalescedCandidate[]): Promise<Map<string, number>> {
    const rows = await tx.$queryRawUnsafe<{ major: string; minor: string; priority: number }[]>(`SELECT major, minor, priority FROM "EventCode"`);
    void items;
    return new Map(rows.map((r) => [`${r.major}/${r.minor}`, Number(r.priority)]));
  }

  private async cameraStandings(tx: Tx, items: CoalescedCandidate[]) {
    const ids = [...new Set(items.map((i) => i.event.cameraId))];
    const rows = await tx.$queryRawUnsafe<{ id: string; legalReviewAt: Date | null; locationPublishedAt: Date | null }[]>(
      `SELECT id, "legalReviewAt", "locationPublishedAt" FROM "Camera" WHERE id = ANY($1::text[])`,
      ids,
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          legalReviewAt: r.legalReviewAt ? new Date(r.legalReviewAt) : null,
          locationPublishedAt: r.locationPublishedAt ? new Date(r.locationPublishedAt) : null,
        },
      ]),
    );
  }

  private row(i: CoalescedCandidate, id: string, codes: Map<string, number>, cameras: Awaited<ReturnType<IngestRepository["cameraStandings"]>>) {
    const e = i.event;
    const standing = penaltyEvidenceStanding(cameras.get(e.cameraId) ?? null, new Date(e.startedAt));
    return {
      id,
      candidateId: e.candidateId,
      candidateSeq: e.seq,
      phase: e.phase,
      edgeId: e.edgeId,
      cameraId: e.cameraId,
      zoneId: e.zoneId,
      ruleId: e.ruleId,
      rule: e.rule,
      eventMajor: e.eventCode.major,
      eventMinor: e.eventCode.minor,
      shopId: e.shopId ?? null,
      subjectKey: e.shopId ? `shop:${e.shopId}` : null,
      startedAt: e.startedAt,
      lastSeenAt: e.lastSeenAt,
      endedAt: e.endedAt ?? null,
      bestScore: e.bestScore,
      objects: e.objects,
      priority: codes.get(`${e.eventCode.major}/${e.eventCode.minor}`) ?? 0,
      penaltyEvidenceUsable: standing.usable,
      penaltyEvidenceNote: standing.note,
    };
  }
}
