import { randomUUID } from "node:crypto";
import type { CoalescedCandidate } from "../ingest/candidate-message.ts";
import { penaltyEvidenceStanding, type CameraStanding } from "../domain/penalty-evidence.ts";
import type { RawSql } from "./tx.ts";

export interface AppliedCandidate {
  caseId: string;
  candidateId: string;
  created: boolean;
  before: { seq: number; phase: string } | null;
  item: CoalescedCandidate;
}

/** What the caller already read (and locked) in this transaction, so it is not read again. */
export interface KnownBeforeWrite {
  /** Existing cases by candidateId, locked FOR UPDATE. */
  cases: Map<string, StoredCandidate>;
  cameras: Map<string, CameraStanding>;
}

interface StoredCandidate {
  id: string;
  seq: number;
  phase: string;
}

export interface BatchResult {
  applied: AppliedCandidate[];
  /** Messages whose seq was not newer than the stored one (duplicate or out of order). */
  stale: number;
}

const CASE_COLUMNS = `x(id text, "candidateId" text, "candidateSeq" int, phase text, "edgeId" text, "cameraId" text, "zoneId" text,
  "ruleId" text, rule text, "eventMajor" text, "eventMinor" text, "shopId" text, "subjectKey" text,
  "startedAt" timestamptz, "lastSeenAt" timestamptz, "endedAt" timestamptz, "bestScore" float8, objects jsonb,
  "penaltyEvidenceUsable" boolean, "penaltyEvidenceNote" text)`;

/**
 * New cases from the rows in $1 (a JSON array); a candidateId stored meanwhile is skipped.
 * The batch parameters are read as json, not jsonb: they are read once, and parsing them into
 * jsonb first cost PostgreSQL about 5 % of the statement.
 */
const INSERT_CASES = `INSERT INTO "Case" (id, "candidateId", "candidateSeq", phase, "edgeId", "cameraId", "zoneId", "ruleId", rule, "eventMajor", "eventMinor",
    "shopId", "subjectKey", "startedAt", "lastSeenAt", "endedAt", "bestScore", objects, priority, "penaltyEvidenceUsable", "penaltyEvidenceNote")
  SELECT id, "candidateId", "candidateSeq", phase, "edgeId", "cameraId", "zoneId", "ruleId", rule, "eventMajor", "eventMinor",
    "shopId", "subjectKey", "startedAt", "lastSeenAt", "endedAt", "bestScore", objects,
    COALESCE((SELECT ec.priority FROM "EventCode" ec WHERE ec.major = x."eventMajor" AND ec.minor = x."eventMinor"), 0),
    "penaltyEvidenceUsable", "penaltyEvidenceNote"
  FROM json_to_recordset($1::json) AS ${CASE_COLUMNS}
  ORDER BY "candidateId"
  ON CONFLICT ("candidateId") DO NOTHING
  RETURNING id, "candidateId"`;

/** Newer messages (the JSON array in `param`) applied to stored cases; the seq test in SQL means an older one never moves a case back. */
const updateCasesFrom = (param: string) => `UPDATE "Case" c SET "candidateSeq" = x."candidateSeq", phase = x.phase, "lastSeenAt" = x."lastSeenAt",
    "endedAt" = COALESCE(x."endedAt", c."endedAt"), "bestScore" = GREATEST(c."bestScore", x."bestScore"), objects = x.objects,
    "shopId" = COALESCE(c."shopId", x."shopId"), "subjectKey" = COALESCE(c."subjectKey", x."subjectKey"), "updatedAt" = now()
  FROM json_to_recordset(${param}::json) AS ${CASE_COLUMNS}
  WHERE c."candidateId" = x."candidateId" AND c."candidateSeq" < x."candidateSeq"`;

/** Evidence named by the messages ($3), linked to their candidate once. */
const INSERT_LINKS = `INSERT INTO "EvidenceLink" ("candidateId", sha256, kind, bytes, "contentType")
  SELECT "candidateId", sha256, kind, bytes, "contentType" FROM json_to_recordset($3::json)
    AS x("candidateId" text, sha256 text, kind text, bytes int, "contentType" text)
  ON CONFLICT DO NOTHING`;

/**
 * Candidate ingest as set-based statements: the existing rows are locked (by the caller's
 * ownership check, or here), then one statement inserts the new cases, updates the ones
 * whose seq is newer and links evidence.
 */
export class IngestRepository {
  async applyBatch(tx: RawSql, items: CoalescedCandidate[], known?: KnownBeforeWrite): Promise<BatchResult> {
    let existing = known
      ? known.cases
      : await this.lockExisting(
          tx,
          items.map((i) => i.event.candidateId),
        );
    const cameras = known ? known.cameras : await this.cameraStandings(tx, items);

    const fresh = items.filter((i) => !existing.has(i.event.candidateId));
    const isNewer = (i: CoalescedCandidate) => {
      const cur = existing.get(i.event.candidateId);
      return cur !== undefined && i.event.seq > cur.seq;
    };
    let newer = items.filter(isNewer);
    const links = items.flatMap((i) =>
      i.evidence.map((e) => ({ candidateId: i.event.candidateId, sha256: e.sha256, kind: e.kind, bytes: e.bytes, contentType: e.contentType })),
    );
    // New cases, newer messages of known ones and the evidence links in one statement (one round trip).
    const inserted = await tx.$queryRawUnsafe<{ id: string; candidateId: string }[]>(
      `WITH inserted AS (${INSERT_CASES}), updated AS (${updateCasesFrom("$2")} RETURNING 1), linked AS (${INSERT_LINKS} RETURNING 1)
       SELECT id, "candidateId" FROM inserted`,
      JSON.stringify(fresh.map((i) => this.row(i, randomUUID(), cameras))),
      JSON.stringify(newer.map((i) => this.row(i, existing.get(i.event.candidateId)!.id, cameras))),
      JSON.stringify(links),
    );
    const created = new Map(inserted.map((r) => [r.candidateId, r.id]));
    // Another replica inserted some of these between our lock and our insert: treat them as updates.
    const raced = fresh.filter((i) => !created.has(i.event.candidateId));
    if (raced.length) {
      existing = new Map([
        ...existing,
        ...(await this.lockExisting(
          tx,
          raced.map((i) => i.event.candidateId),
        )),
      ]);
      const racedNewer = raced.filter(isNewer);
      if (racedNewer.length) {
        await tx.$executeRawUnsafe(updateCasesFrom("$1"), JSON.stringify(racedNewer.map((i) => this.row(i, existing.get(i.event.candidateId)!.id, cameras))));
      }
      newer = [...newer, ...racedNewer];
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

  private async lockExisting(tx: RawSql, candidateIds: string[]): Promise<Map<string, StoredCandidate>> {
    if (candidateIds.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ id: string; candidateId: string; candidateSeq: number; phase: string }[]>(
      `SELECT id, "candidateId", "candidateSeq", phase FROM "Case" WHERE "candidateId" = ANY($1::text[]) ORDER BY "candidateId" FOR UPDATE`,
      candidateIds,
    );
    return new Map(rows.map((r) => [r.candidateId, { id: r.id, seq: Number(r.candidateSeq), phase: r.phase }]));
  }

  private async cameraStandings(tx: RawSql, items: CoalescedCandidate[]): Promise<Map<string, CameraStanding>> {
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

  private row(i: CoalescedCandidate, id: string, cameras: Map<string, CameraStanding>) {
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
      penaltyEvidenceUsable: standing.usable,
      penaltyEvidenceNote: standing.note,
    };
  }
}
