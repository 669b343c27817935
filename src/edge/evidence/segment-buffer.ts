import fs from "node:fs";
import path from "node:path";

interface FileInfo {
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * Keeps the rolling segment buffer inside its time and byte budget. Segments are the
 * cheapest data on the edge (evidence already cut from them lives in the spool), so they
 * go first, oldest first.
 */
export class SegmentBuffer {
  bytes = 0;
  droppedForSpace = 0;

  constructor(
    readonly root: string,
    private limitBytes: number,
    private retentionMs: number,
  ) {
    fs.mkdirSync(root, { recursive: true });
  }

  get limit(): number {
    return this.limitBytes;
  }

  prune(now = Date.now()): void {
    const files: FileInfo[] = [];
    for (const cam of safeReaddir(this.root)) {
      for (const runDir of safeReaddir(path.join(this.root, cam))) {
        const dir = path.join(this.root, cam, runDir);
        const entries = safeReaddir(dir);
        if (!entries.length) {
          fs.rmSync(dir, { recursive: true, force: true });
          continue;
        }
        for (const f of entries) {
          if (!f.endsWith(".mkv")) continue;
          try {
            const st = fs.statSync(path.join(dir, f));
            files.push({ file: path.join(dir, f), size: st.size, mtimeMs: st.mtimeMs });
          } catch {
            /* removed meanwhile */
          }
        }
        const newest = Math.max(0, ...entries.map((f) => statMtime(path.join(dir, f))));
        if (entries.every((f) => !f.endsWith(".mkv")) && now - newest > this.retentionMs) fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((s, f) => s + f.size, 0);
    for (const f of files) {
      const expired = now - f.mtimeMs > this.retentionMs;
      const overBudget = total > this.limitBytes;
      if (!expired && !overBudget) break;
      fs.rmSync(f.file, { force: true });
      total -= f.size;
      if (!expired) this.droppedForSpace++;
    }
    this.bytes = total;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function statMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
