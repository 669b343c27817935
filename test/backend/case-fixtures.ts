import { Readable } from "node:stream";
import sharp from "sharp";
import type { Database } from "../../src/backend/db/database.ts";
import type { Actor } from "../../src/backend/http/actor.ts";
import type { FieldTaskService } from "../../src/backend/services/field-task.service.ts";
import { IngestRepository } from "../../src/backend/repositories/ingest.repository.ts";
import { AuditRepository } from "../../src/backend/repositories/audit.repository.ts";
import { coalesceBySituation } from "../../src/backend/ingest/candidate-message.ts";
import type { CandidateEvent } from "../../src/contracts/index.ts";
import { candidate } from "./backend-harness.ts";

let n = 0;

/** Stores a candidate through the real ingest write path (as a batch of one) and returns its case id. */
export async function reportCandidate(db: Database, over: Partial<CandidateEvent> & { cameraId?: string } = {}): Promise<string> {
  const id = `fx-${process.pid}-${Date.now().toString(36)}-${++n}`;
  const e = candidate(over.cameraId ?? "cam-fixture", id, 0, over);
  const ingest = new IngestRepository();
  const audit = new AuditRepository();
  const r = await db.prisma.$transaction(async (tx) => {
    const res = await ingest.applyBatch(tx, coalesceBySituation([e]));
    await audit.append(
      tx,
      res.applied.map((a) => ({ chain: a.candidateId, actorId: `edge:${e.edgeId}`, action: "candidate.reported", caseId: a.caseId, after: { seq: e.seq } })),
    );
    return res;
  });
  return r.applied[0].caseId;
}

export async function addPeople(db: Database, now = new Date()) {
  const year = 365 * 86_400_000;
  await db.prisma.user.createMany({
    data: [
      { id: "op1", username: "op1", name: "坐席一", role: "operator" },
      { id: "op2", username: "op2", name: "坐席二", role: "operator" },
      { id: "off1", username: "off1", name: "队员一", role: "officer", streets: ["人民路"], grids: ["G-01"] },
      { id: "off-nocert", username: "off-nocert", name: "无证队员", role: "officer", streets: ["人民路"] },
      { id: "off-expired", username: "off-expired", name: "过期队员", role: "officer", streets: ["人民路"] },
      { id: "aux1", username: "aux1", name: "协管员", role: "auxiliary", streets: ["人民路"] },
    ],
    skipDuplicates: true,
  });
  await db.prisma.officerCertificate.createMany({
    data: [
      {
        userId: "off1",
        number: `ZF-${process.pid}-1`,
        issuingAuthority: "市城管局",
        validFrom: new Date(now.getTime() - year),
        expiresAt: new Date(now.getTime() + year),
      },
      {
        userId: "off-expired",
        number: `ZF-${process.pid}-2`,
        issuingAuthority: "市城管局",
        validFrom: new Date(now.getTime() - 2 * year),
        expiresAt: new Date(now.getTime() - 86_400_000),
      },
    ],
    skipDuplicates: true,
  });
}

let photos = 0;

/** A small real JPEG, a new one each call (officer photos are sniffed and decoded like edge evidence). */
export function sitePhoto(): Promise<Buffer> {
  const n = ++photos;
  return sharp({ create: { width: 16, height: 12, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (process.pid + n) % 256 } } })
    .jpeg()
    .toBuffer();
}

/** What the assignee does on site before an on-site outcome: accept the task and take a photo, through the real service. */
export async function acceptWithPhoto(tasks: FieldTaskService, caseId: string, actor: Actor): Promise<void> {
  await tasks.accept(caseId, actor);
  await tasks.addPhoto(caseId, actor, "image/jpeg", Readable.from([await sitePhoto()]));
}
