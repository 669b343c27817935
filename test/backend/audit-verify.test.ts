import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import { CaseWorkflowService } from "../../src/backend/services/case-workflow.service.ts";
import { EvidenceService } from "../../src/backend/services/evidence.service.ts";
import { EvidenceStore } from "../../src/backend/services/evidence-store.ts";
import { FieldTaskService } from "../../src/backend/services/field-task.service.ts";
import { PrismaCaseStore } from "../../src/backend/repositories/case-store.ts";
import { systemClock } from "../../src/backend/services/ports/common.ts";
import { randomAccessCodes } from "../../src/backend/auth/opaque-token.ts";
import { anchorChainHeads } from "../../src/backend/audit/audit-anchor.ts";
import { installAppendOnlyGuard } from "../../src/backend/db/append-only-guard.ts";
import { verifyAuditRecord } from "../../src/backend/audit/audit-verify.ts";
import { createRepositories } from "../../src/backend/repositories/repositories.ts";
import { createLogger } from "../../src/shared/logger.ts";
import type { Actor } from "../../src/backend/http/actor.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { spawnCurbwatch } from "../support/process.ts";
import { acceptWithPhoto, addPeople, reportCandidate } from "./case-fixtures.ts";

const operator: Actor = { id: "op1", role: "operator", name: "坐席" };
const officer: Actor = { id: "off1", role: "officer", name: "队员" };

describe.runIf(postgresAvailable())("curbwatch audit verify (real PostgreSQL)", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-audit-"));
  const evidenceDir = path.join(dataDir, "evidence");
  let url: string;
  let drop: () => Promise<void>;
  let db: Database;
  let sql: pg.Client;
  let evidenceSha: string;
  let caseId: string;

  async function runVerify(): Promise<{ code: number | null; out: string }> {
    const p = spawnCurbwatch(["audit", "verify"], { env: { DATABASE_URL: url, CURBWATCH_DATA_DIR: dataDir, EVIDENCE_DIR: evidenceDir, LOG_LEVEL: "warn" } });
    const code = await p.exited;
    return { code, out: p.output() };
  }

  beforeAll(async () => {
    const t = await createTestDatabase("cw_audit");
    url = t.url;
    drop = t.drop;
    db = await openDatabase({ url, pgliteDir: "memory://" });
    await installAppendOnlyGuard(db.prisma);
    await addPeople(db);
    const wf = new CaseWorkflowService(
      new PrismaCaseStore(db),
      null,
      { firstViolationLookbackDays: 365, repeatedThreshold: 3 },
      systemClock,
      randomAccessCodes,
    );
    const evidence = new EvidenceService(
      new PrismaCaseStore(db),
      new EvidenceStore(evidenceDir, 1024 * 1024),
      1024 * 1024,
      createLogger("t", "silent"),
      systemClock,
    );
    const tasks = new FieldTaskService(new PrismaCaseStore(db), new EvidenceStore(evidenceDir, 1024 * 1024), 1024 * 1024, systemClock);
    for (let i = 0; i < 3; i++) {
      const id = await reportCandidate(db);
      const c = await db.prisma.case.findUniqueOrThrow({ where: { id } });
      // A real JPEG (evidence content is sniffed and decoded), distinct per case.
      const body = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 10 * i, g: 90, b: 160 } } })
        .jpeg()
        .withMetadata({ exif: { IFD0: { ImageDescription: `snapshot of ${c.candidateId}` } } })
        .toBuffer();
      const sha = createHash("sha256").update(body).digest("hex");
      await evidence.upload({
        sha256: sha,
        candidateId: c.candidateId,
        cameraId: c.cameraId,
        kind: "snapshot_start",
        contentType: "image/jpeg",
        body: Readable.from([body]),
      });
      await wf.confirm(id, operator, {});
      await wf.dispatch(id, operator, { assigneeId: "off1" });
      await acceptWithPhoto(tasks, id, officer);
      await wf.recordOutcome(id, officer, { outcome: "order_to_correct" });
      await evidence.access(id, sha, operator);
      evidenceSha = sha;
      caseId = id;
    }
    await db.prisma.$transaction((tx) => anchorChainHeads(tx));
    sql = new pg.Client({ connectionString: url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("passes on an untouched record: every chain, anchor and evidence file checks out (exit 0)", async () => {
    const r = await runVerify();
    // A snapshot and an officer photo per case.
    expect(r.out).toMatch(/audit record intact: 3 chains, \d+ entries, 1 anchors, 6 evidence files verified/);
    expect(r.code).toBe(0);
  });

  it("the database refuses a plain UPDATE of an audit entry (append-only guard)", async () => {
    await expect(sql.query(`UPDATE "AuditEntry" SET "actorId" = 'someone-else' WHERE "caseId" = $1`, [caseId])).rejects.toThrow(/append-only/);
  });

  it("fails after a direct row edit in PostgreSQL and names the first broken link (exit 1)", async () => {
    const { rows } = await sql.query(`SELECT id, chain, seq, after FROM "AuditEntry" WHERE "caseId" = $1 AND action = 'case.outcome'`, [caseId]);
    const row = rows[0];
    await sql.query(`ALTER TABLE "AuditEntry" DISABLE TRIGGER USER`);
    try {
      await sql.query(`UPDATE "AuditEntry" SET after = jsonb_set(after, '{outcome}', '"education"') WHERE id = $1`, [row.id]);
      const r = await runVerify();
      expect(r.code).toBe(1);
      expect(r.out).toContain(`AUDIT RECORD BROKEN: first broken link at chain ${row.chain} seq ${row.seq}`);
      expect(r.out).toMatch(/content does not match its hash/);
      // Put it back: the record verifies again, so the failure was the edit and nothing else.
      await sql.query(`UPDATE "AuditEntry" SET after = $2::jsonb WHERE id = $1`, [row.id, JSON.stringify(row.after)]);
      expect((await verifyAuditRecord(createRepositories(db).auditRecord, evidenceDir)).ok).toBe(true);
    } finally {
      await sql.query(`ALTER TABLE "AuditEntry" ENABLE TRIGGER USER`);
    }
  });

  it("fails after an evidence file is altered on disk (exit 1)", async () => {
    const file = path.join(evidenceDir, evidenceSha.slice(0, 2), evidenceSha.slice(2, 4), evidenceSha);
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([original, Buffer.from("x")]));
    try {
      const r = await runVerify();
      expect(r.code).toBe(1);
      expect(r.out).toContain(`first broken link at evidence ${evidenceSha}: file content changed`);
    } finally {
      fs.writeFileSync(file, original);
    }
    expect((await verifyAuditRecord(createRepositories(db).auditRecord, evidenceDir)).ok).toBe(true);
  });

  it("detects a deleted last entry of a chain through the chain head and the anchor", async () => {
    const { rows } = await sql.query(`SELECT * FROM "AuditEntry" WHERE "caseId" = $1 ORDER BY seq DESC LIMIT 1`, [caseId]);
    const last = rows[0];
    await sql.query(`ALTER TABLE "AuditEntry" DISABLE TRIGGER USER`);
    try {
      await sql.query(`DELETE FROM "AuditEntry" WHERE id = $1`, [last.id]);
      const report = await verifyAuditRecord(createRepositories(db).auditRecord, evidenceDir);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(["chain-head", "anchor"]));
      await sql.query(
        `INSERT INTO "AuditEntry" (id, chain, seq, at, "actorId", action, "caseId", before, after, "evidenceSha256", "prevHash", hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [
          last.id,
          last.chain,
          last.seq,
          last.at,
          last.actorId,
          last.action,
          last.caseId,
          JSON.stringify(last.before),
          JSON.stringify(last.after),
          last.evidenceSha256,
          last.prevHash,
          last.hash,
        ],
      );
    } finally {
      await sql.query(`ALTER TABLE "AuditEntry" ENABLE TRIGGER USER`);
    }
    expect((await verifyAuditRecord(createRepositories(db).auditRecord, evidenceDir)).ok).toBe(true);
  });
});
