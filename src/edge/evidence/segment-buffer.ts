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
  /** Closed segments never change: their size and time are read once, not on every prune. */
  private known = new Map<string, FileInfo>();

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
          // A run folder is empty from its creation until ffmpeg writes its first segment: only an old one is gone.
          if (now - statMtime(dir) > this.retentionMs) fs.rmSync(dir, { recursive: true, force: true });
          continue;
        }
        const mkv = entries.filter((f) => f.endsWith(".mkv")).sort();
        for (const [i, f] of mkv.entries()) {
          const file = path.join(dir, f);
          const cached = this.known.get(file);
          // Only the newest segment of a run may still be growing.
          if (cached && i < mkv.length - 1) {
            files.push(cached);
            continue;
          }
          try {
            const st = fs.statSync(file);
            const info = { file, size: st.size, mtimeMs: st.mtimeMs };
            this.known.set(file, info);
            files.push(info);
          } catch {
            /* removed meanwhile */
          }
        }
        if (!mkv.length && now - Math.max(0, ...entries.map((f) => statMtime(path.join(dir, f)))) > this.retentionMs)
          fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((s, f) => s + f.size, 0);
    for (const f of files) {
      const expired = now - f.mtimeMs > this.retentionMs;
      const overBudget = total > this.limitBytes;
      if (!expired && !overBudget) break;
      fs.rmSync(f.file, { force: true });
      this.known.delete(f.file);
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
