import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { DomainError } from "../domain/errors.ts";
import type { Actor } from "../domain/actor.ts";
import { evidenceContentProblem } from "./evidence-content.ts";
import type { Clock, EvidenceFiles } from "./ports/common.ts";
import type { FieldTaskStore, FieldTaskUnit } from "./ports/field-task.port.ts";

/** Evidence kind of a photo an officer takes on site; verification shows them beside the camera's evidence. */
export const OFFICER_PHOTO_KIND = "officer_photo";
export const officerPhotoTypes = ["image/jpeg", "image/png", "image/webp"] as const;

/** What officers do on a dispatched task besides the outcome itself: accept it, add photos. Both go into the case's record. */
export class FieldTaskService {
  constructor(
    private records: FieldTaskStore,
    private files: EvidenceFiles,
    private maxBytes: number,
    private clock: Clock,
  ) {}

  private async assignedCase(u: FieldTaskUnit, caseId: string, actor: Actor) {
    const c = await u.findCase(caseId);
    if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
    if (c.assigneeId !== actor.id) throw new DomainError("forbidden", `case ${caseId} is not assigned to you`);
    if (c.state !== "dispatched") throw new DomainError("conflict", `case is ${c.state}; photos and acceptance belong to a dispatched task`);
    return c;
  }

  /** Records that the officer has taken the task on (no state change: the workflow starts the clock at dispatch). */
  async accept(caseId: string, actor: Actor): Promise<{ acceptedAt: Date }> {
    const at = this.clock();
    await this.records.transaction(async (u) => {
      const c = await this.assignedCase(u, caseId, actor);
      await u.appendRecord([{ chain: c.candidateId, actorId: actor.id, action: "task.accepted", caseId: c.id, after: { acceptedAt: at.toISOString() } }], at);
    });
    return { acceptedAt: at };
  }

  /** Stores a photo content-addressed like edge evidence, links it to the case and records who added it. */
  async addPhoto(caseId: string, actor: Actor, contentType: string, body: Readable): Promise<{ sha256: string; bytes: number; kind: string }> {
    const c = await this.records.transaction((u) => this.assignedCase(u, caseId, actor));
    // Photos are small (the console scales them down); buffering lets us hash before storing under the hash.
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      if (bytes > this.maxBytes) throw new DomainError("too_large", `photo larger than ${this.maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    if (bytes === 0) throw new DomainError("invalid", "the photo is empty");
    const data = Buffer.concat(chunks);
    const sha256 = createHash("sha256").update(data).digest("hex");
    const stored = await this.files.put(sha256, Readable.from([data]), (file) => evidenceContentProblem(file, contentType));
    if (stored.kind === "too_large") throw new DomainError("too_large", `photo larger than ${stored.limit} bytes`);
    if (stored.kind === "bad_content") throw new DomainError("unsupported_media", `not a usable photo: ${stored.reason}`);
    if (stored.kind === "hash_mismatch") throw new DomainError("internal", "photo changed while being stored");
    await this.records.transaction(async (u) => {
      await u.recordStoredEvidence({ sha256, bytes, contentType });
      await u.linkEvidence({ candidateId: c.candidateId, sha256, kind: OFFICER_PHOTO_KIND, bytes, contentType });
      await u.appendRecord(
        [
          {
            chain: c.candidateId,
            actorId: actor.id,
            action: "evidence.stored",
            caseId: c.id,
            evidenceSha256: sha256,
            after: { kind: OFFICER_PHOTO_KIND, bytes, contentType },
          },
        ],
        this.clock(),
      );
    });
    return { sha256, bytes, kind: OFFICER_PHOTO_KIND };
  }
}
