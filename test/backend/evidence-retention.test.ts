import sharp from "sharp";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import { CaseWorkflowService } from "../../src/backend/services/case-workflow.service.ts";
import { EvidenceService } from "../../src/backend/services/evidence.service.ts";
import { PrismaCaseStore } from "../../src/backend/repositories/case-store.ts";
import { systemClock } from "../../src/backend/services/ports/common.ts";
import { randomAccessCodes } from "../../src/backend/auth/opaque-token.ts";
import { EvidenceStore } from "../../src/backend/services/evidence-store.ts";
import { verifyAuditRecord } from "../../src/backend/audit/audit-verify.ts";
import { createRepositories } from "../../src/backend/repositories/repositories.ts";
import { createLogger } from "../../src/shared/logger.ts";
import type { Actor } from "../../src/backend/http/actor.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { addPeople, reportCandidate } from "./case-fixtures.ts";

const operator: Actor = { id: "op1", role: "operator", name: "坐席" };

describe.runIf(postgresAvailable())("evidence retention", () => {
  const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-retention-"));
  let drop: () => Promise<void>;
  let db: Database;
  let evidence: EvidenceService;
  let wf: CaseWorkflowService;

  beforeAll(async () => {
    const t = await createTestDatabase("cw_retention");
    drop = t.drop;
    db = await openDatabase({ url: t.url, pgliteDir: "memory://" });
    await addPeople(db);
    evidence = new EvidenceService(new PrismaCaseStore(db), new EvidenceStore(evidenceDir, 1 << 20), 1 << 20, createLogger("t", "silent"), systemClock);
    wf = new CaseWorkflowService(new PrismaCaseStore(db), null, { firstViolationLookbackDays: 365, repeatedThreshold: 3 }, systemClock, randomAccessCodes);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
    fs.rmSync(evidenceDir, { recursive: true, force: true });
  });

  async function withEvidence(label: string) {
    const id = await reportCandidate(db);
    const c = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    // A real, distinct PNG per case: evidence content is sniffed and decoded before it is stored.
    const pixels = Buffer.alloc(16 * 16 * 3);
    pixels.write(`${label} ${id}`);
    const body = await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } })
      .png()
      .toBuffer();
    const sha = createHash("sha256").update(body).digest("hex");
    await evidence.upload({
      sha256: sha,
      candidateId: c.candidateId,
      cameraId: c.cameraId,
      kind: "snapshot_start",
      contentType: "image/png",
      body: Readable.from([body]),
    });
    return { id, sha };
  }

  it("removes old evidence of finished cases only; evidence of an open case stays however old, and the record still verifies", async () => {
    const rejected = await withEvidence("rejected");
    await wf.reject(rejected.id, operator, { reason: "wrong_object" });
    const open = await withEvidence("open");
    await wf.confirm(open.id, operator, {});
    const mergedIntoOpen = await withEvidence("merged");
    await wf.merge(mergedIntoOpen.id, operator, { intoCaseId: open.id });
    const recent = await withEvidence("recent");
    await wf.reject(recent.id, operator, { reason: "duplicate" });
    // Age everything except the recent file beyond the retention period.
    await db.prisma.evidence.updateMany({ where: { sha256: { not: recent.sha } }, data: { storedAt: new Date(Date.now() - 400 * 86_400_000) } });

    expect(await evidence.purgeExpired(180)).toBe(1);
    expect(evidence.store.exists(rejected.sha), "old evidence of a rejected candidate goes").toBe(false);
    expect(evidence.store.exists(open.sha), "evidence of an open case stays").toBe(true);
    expect(evidence.store.exists(mergedIntoOpen.sha), "evidence merged into an open case stays").toBe(true);
    expect(evidence.store.exists(recent.sha), "recent evidence stays").toBe(true);
    expect(await db.prisma.auditEntry.count({ where: { action: "evidence.purged", evidenceSha256: rejected.sha } })).toBe(1);
    const report = await verifyAuditRecord(createRepositories(db).auditRecord, evidenceDir);
    expect(report.ok, JSON.stringify(report.firstProblem)).toBe(true);
  });
});
