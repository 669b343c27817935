import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { StoreResult } from "../../../src/backend/services/evidence-store.ts";
import type { EvidenceFiles } from "../../../src/backend/services/ports/common.ts";

/**
 * Evidence files in memory, content-addressed like services/evidence-store.ts: a body is kept
 * only when its sha256 is the claimed one and it is within the size limit. The content check
 * (sniffing and decoding the image) needs a file on disk and is not run here; the real-database
 * tests cover it.
 */
export class InMemoryEvidenceFiles implements EvidenceFiles {
  readonly files = new Map<string, Buffer>();

  constructor(private readonly maxBytes = 1 << 20) {}

  pathOf(sha256: string): string {
    return `memory://evidence/${sha256}`;
  }

  exists(sha256: string): boolean {
    return this.files.has(sha256);
  }

  async put(sha256: string, body: Readable): Promise<StoreResult> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      if (bytes > this.maxBytes) return { kind: "too_large", limit: this.maxBytes };
      chunks.push(chunk as Buffer);
    }
    const data = Buffer.concat(chunks);
    const actual = createHash("sha256").update(data).digest("hex");
    if (actual !== sha256) return { kind: "hash_mismatch", actual, bytes };
    if (this.files.has(sha256)) return { kind: "existing", bytes };
    this.files.set(sha256, data);
    return { kind: "created", bytes };
  }

  async remove(sha256: string): Promise<void> {
    this.files.delete(sha256);
  }
}
