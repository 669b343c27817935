import fs from "node:fs";
import { EVIDENCE_UPLOAD_PATH, evidenceHeaders } from "../../contracts/evidence-upload.ts";
import type { EvidenceRef } from "../../contracts/candidate.ts";
import type { Logger } from "../../shared/logger.ts";
import { DurableLog } from "./durable-log.ts";

export interface EvidenceUpload {
  file: string;
  sha256: string;
  kind: EvidenceRef["kind"];
  contentType: EvidenceRef["contentType"];
  candidateId: string;
  cameraId: string;
}

/**
 * Evidence files waiting for the back end, uploaded in order with `PUT /api/evidence/{sha256}`.
 * The back end checks the hash and stores by it, so a retry after a lost response is harmless.
 * A file is deleted locally only after the back end said 200/201; until then it counts as
 * evidence and is never dropped to make room.
 */
export class EvidenceUploads {
  readonly log: DurableLog<EvidenceUpload>;
  private sending = false;
  private closed = false;
  private backoffMs = 1000;
  private timer: NodeJS.Timeout | null = null;
  uploaded = 0;
  lastError: string | null = null;
  /** Size of each pending upload's file, taken once when it was queued (no stat per budget check). */
  private pendingSizes = new Map<number, number>();

  constructor(
    dir: string,
    private backendUrl: string,
    private token: string | undefined,
    private logger: Logger,
  ) {
    this.log = new DurableLog<EvidenceUpload>(dir);
    for (const r of this.log.pending) this.pendingSizes.set(r.id, fileSize(r.body.file));
  }

  enqueue(job: EvidenceUpload, bytes?: number): void {
    const rec = this.log.append(job);
    this.pendingSizes.set(rec.id, bytes ?? fileSize(job.file));
    this.kick();
  }

  /** Bytes of evidence files not yet accepted by the back end. */
  pendingBytes(): number {
    let total = 0;
    for (const b of this.pendingSizes.values()) total += b;
    return total;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  kick(): void {
    if (this.sending || this.closed) return;
    this.sending = true;
    void this.drain().finally(() => {
      this.sending = false;
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed && this.log.pending.length) {
      const rec = this.log.pending[0];
      const outcome = await this.upload(rec.body);
      if (outcome === "retry") {
        this.timer = setTimeout(() => this.kick(), this.backoffMs);
        this.timer.unref();
        this.backoffMs = Math.min(60_000, this.backoffMs * 2);
        return;
      }
      this.backoffMs = 1000;
      this.log.ack(rec.id);
      this.pendingSizes.delete(rec.id);
      if (outcome === "stored") this.uploaded++;
      // One frame's snapshot can serve several candidates (content-addressed): the file stays until its last upload.
      if (outcome === "stored" && !this.log.pending.some((r) => r.body.file === rec.body.file)) fs.rmSync(rec.body.file, { force: true });
    }
  }

  private async upload(job: EvidenceUpload): Promise<"stored" | "rejected" | "retry"> {
    let body: Buffer;
    try {
      body = fs.readFileSync(job.file);
    } catch {
      this.logger.error({ file: job.file, sha256: job.sha256 }, "evidence file vanished before upload");
      return "rejected";
    }
    const headers: Record<string, string> = {
      "content-type": job.contentType,
      [evidenceHeaders.candidate]: job.candidateId,
      [evidenceHeaders.camera]: job.cameraId,
      [evidenceHeaders.kind]: job.kind,
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      const res = await fetch(`${this.backendUrl.replace(/\/$/, "")}${EVIDENCE_UPLOAD_PATH}/${job.sha256}`, {
        method: "PUT",
        headers,
        body: new Uint8Array(body),
        signal: AbortSignal.timeout(60_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 200 || res.status === 201) {
        this.lastError = null;
        return "stored";
      }
      this.lastError = `evidence upload: HTTP ${res.status}`;
      if (res.status >= 500 || res.status === 408 || res.status === 429 || res.status === 401 || res.status === 404) return "retry";
      // 4xx: the request itself is wrong (hash mismatch, type, size); retrying cannot help.
      this.logger.error({ sha256: job.sha256, status: res.status, file: job.file }, "back end refused evidence; kept on disk, not retried");
      return "rejected";
    } catch (err) {
      this.lastError = `evidence upload: ${(err as Error).message}`;
      return "retry";
    }
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // already gone
  }
}
