import type { Readable } from "node:stream";
import { DomainError } from "../domain/errors.ts";
import { systemActor, type Actor } from "../domain/actor.ts";
import type { Clock, EvidenceFiles } from "./ports/common.ts";
import type { EvidenceRecords } from "./ports/evidence.port.ts";
import type { EvidenceUploadResponse } from "../../contracts/index.ts";
import type { Logger } from "../../shared/logger.ts";
import { evidenceContentProblem } from "./evidence-content.ts";

export interface EvidenceUpload {
  sha256: string;
  candidateId: string;
  cameraId: string;
  kind: string;
  contentType: string;
  declaredBytes?: number;
  body: Readable;
}

/** Evidence files: upload from the edge, read access by people (recorded), retention. */
export class EvidenceService {
  constructor(
    private records: EvidenceRecords,
    readonly store: EvidenceFiles,
    private maxBytes: number,
    private log: Logger,
    private clock: Clock,
  ) {}

  async upload(u: EvidenceUpload): Promise<EvidenceUploadResponse & { status: 200 | 201 }> {
    if (u.declaredBytes !== undefined && u.declaredBytes > this.maxBytes) throw new DomainError("too_large", `evidence larger than ${this.maxBytes} bytes`);
    // Evidence names a candidate: once that case exists, only its own camera's edge may add to it.
    const named = await this.records.transaction((x) => x.findCaseByCandidate(u.candidateId));
    if (named && named.cameraId !== u.cameraId) throw new DomainError("forbidden", `candidate ${u.candidateId} belongs to another camera; nothing stored`);
    const r = await this.store.put(u.sha256, u.body, (file) => evidenceContentProblem(file, u.contentType));
    if (r.kind === "too_large") throw new DomainError("too_large", `evidence larger than ${r.limit} bytes`);
    if (r.kind === "hash_mismatch") throw new DomainError("unprocessable", `sha256 of the body is ${r.actual}, not ${u.sha256}; nothing stored`);
    if (r.kind === "bad_content") throw new DomainError("unprocessable", `${r.reason}; nothing stored`);
    await this.records.transaction(async (x) => {
      await x.recordStoredEvidence({ sha256: u.sha256, bytes: r.bytes, contentType: u.contentType });
      await x.linkEvidence({ candidateId: u.candidateId, sha256: u.sha256, kind: u.kind, bytes: r.bytes, contentType: u.contentType });
      if (await x.wasRecorded(u.candidateId, u.sha256)) return;
      const c = await x.findCaseByCandidate(u.candidateId);
      await x.appendRecord(
        [
          {
            chain: u.candidateId,
            actorId: `edge:camera:${u.cameraId}`,
            action: "evidence.stored",
            caseId: c?.id ?? null,
            evidenceSha256: u.sha256,
            after: { kind: u.kind, bytes: r.bytes, contentType: u.contentType, cameraId: u.cameraId },
          },
        ],
        this.clock(),
      );
    });
    return { sha256: u.sha256, bytes: r.bytes, stored: r.kind, status: r.kind === "created" ? 201 : 200 };
  }

  /** Opens a case's evidence file for a person; the access itself goes into the case's record. */
  async access(caseId: string, sha256: string, actor: Actor): Promise<{ path: string; contentType: string; bytes: number }> {
    return this.records.transaction(async (x) => {
      const c = await x.findCase(caseId);
      if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
      const merged = await x.mergedInto(c.id);
      const link = await x.linkTo(sha256, [c.candidateId, ...merged.map((m) => m.candidateId)]);
      if (!link) throw new DomainError("not_found", `evidence ${sha256} is not part of case ${c.number}`);
      const file = await x.evidenceFile(sha256);
      if (!file || !this.store.exists(sha256)) throw new DomainError("not_found", `evidence ${sha256} has not been uploaded (or was removed by retention)`);
      await x.appendRecord(
        [{ chain: c.candidateId, actorId: actor.id, action: "evidence.accessed", caseId: c.id, evidenceSha256: sha256, after: { kind: link.kind } }],
        this.clock(),
      );
      return { path: this.store.pathOf(sha256), contentType: file.contentType, bytes: file.bytes };
    });
  }

  /** Removes evidence older than the retention period that no open case needs; returns how many. */
  async purgeExpired(retentionDays: number, now = this.clock()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    let purged = 0;
    for (;;) {
      const batch = await this.records.transaction(async (x) => {
        const due = await x.purgeable(cutoff, 100);
        for (const d of due) {
          await x.forgetEvidence(d.sha256);
          const entries = d.candidateIds.map((candidateId) => ({
            chain: candidateId,
            actorId: systemActor("retention").id,
            action: "evidence.purged",
            evidenceSha256: d.sha256,
            after: { retentionDays },
          }));
          await x.appendRecord(entries, now);
        }
        return due;
      });
      // Files go only after the rows and record entries committed; a crash in between leaves an orphan file, never a dangling row.
      for (const d of batch) await this.store.remove(d.sha256);
      purged += batch.length;
      if (batch.length < 100) break;
    }
    if (purged) this.log.info({ purged, retentionDays }, "evidence retention removed files of finished cases");
    return purged;
  }
}
