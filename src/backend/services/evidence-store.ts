import fs from "node:fs";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { evidencePath } from "./evidence-paths.ts";

export type StoreResult =
  | { kind: "created" | "existing"; bytes: number }
  | { kind: "hash_mismatch"; actual: string; bytes: number }
  | { kind: "too_large"; limit: number }
  | { kind: "bad_content"; reason: string };

/** Checks a fully received file before it is stored; returns why it is refused, or null. */
export type ContentCheck = (tmpFile: string) => Promise<string | null>;

/**
 * Content-addressed evidence files. The body streams to a temp file while it is hashed
 * and counted; only a body whose sha256 equals the claimed one is renamed into place
 * (atomic on one filesystem), so a reader never sees a partial or wrong file.
 */
export class EvidenceStore {
  constructor(
    readonly dir: string,
    private maxBytes: number,
  ) {}

  pathOf(sha256: string): string {
    return evidencePath(this.dir, sha256);
  }

  exists(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  async put(sha256: string, body: Readable, checkContent?: ContentCheck): Promise<StoreResult> {
    const final = this.pathOf(sha256);
    const tmpDir = path.join(this.dir, "tmp");
    await fs.promises.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${sha256}.${randomUUID()}.part`);
    const hash = createHash("sha256");
    let bytes = 0;
    const out = fs.createWriteStream(tmp, { flags: "wx" });
    try {
      const tooLarge = await new Promise<boolean>((resolve, reject) => {
        body.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > this.maxBytes) {
            body.unpipe(out);
            body.resume();
            resolve(true);
            return;
          }
          hash.update(chunk);
        });
        body.on("error", reject);
        out.on("error", reject);
        out.on("finish", () => resolve(false));
        body.pipe(out);
      });
      if (tooLarge) {
        out.destroy();
        return { kind: "too_large", limit: this.maxBytes };
      }
      const actual = hash.digest("hex");
      if (actual !== sha256) return { kind: "hash_mismatch", actual, bytes };
      const problem = checkContent ? await checkContent(tmp) : null;
      if (problem) return { kind: "bad_content", reason: problem };
      if (fs.existsSync(final)) return { kind: "existing", bytes };
      await fs.promises.mkdir(path.dirname(final), { recursive: true });
      // On disk before the 201 that lets the edge delete its copy: a crash after it loses nothing.
      await syncPath(tmp);
      await fs.promises.rename(tmp, final);
      await syncPath(path.dirname(final));
      return { kind: "created", bytes };
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }
}

async function syncPath(p: string): Promise<void> {
  const fh = await fs.promises.open(p, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
