import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { EvidenceRef } from "../../contracts/candidate.ts";
import { ffmpegPath } from "../../shared/ffmpeg-path.ts";
import type { Logger } from "../../shared/logger.ts";
import { deprioritise } from "../../shared/process-priority.ts";
import type { FrameRef, Situation } from "../rules/situation.ts";
import { annotateSnapshot } from "./annotate-snapshot.ts";
import { sha256File } from "./file-hash.ts";
import { waitForSegments, type SegmentEntry } from "./segment-list.ts";

const execFileAsync = promisify(execFile);
/**
 * Evidence cuts are background work: at most two ffmpeg cuts at a time, below the detector's
 * priority. When many cameras raise candidates in the same seconds, dozens of concurrent
 * decodes (and process spawns from the edge) would otherwise starve detection.
 */
const MAX_CONCURRENT_CUTS = 2;
let cutsRunning = 0;
const cutsWaiting: (() => void)[] = [];
async function run(file: string, args: string[]): Promise<void> {
  if (cutsRunning >= MAX_CONCURRENT_CUTS) await new Promise<void>((r) => cutsWaiting.push(r));
  cutsRunning++;
  try {
    const p = execFileAsync(file, args);
    deprioritise(p.child.pid);
    await p;
  } finally {
    cutsRunning--;
    cutsWaiting.shift()?.();
  }
}

export interface EvidenceFile extends EvidenceRef {
  file: string;
}

export interface ClipWindow {
  /** Seconds of pre-roll before the situation began, and after the frame that ends a clip. */
  preSeconds: number;
  postSeconds: number;
  /** Longest single clip; a longer situation continues in the next clip. */
  maxSeconds: number;
}

/**
 * Cuts evidence out of the rolling segment buffer only when a candidate needs it: full-
 * resolution snapshots are decoded from the segment holding the frame, clips are the
 * covering segments joined with `-c copy` (no re-encode), consecutive clips of one situation
 * meeting at a segment boundary. Each file lands in the evidence
 * spool with its sha256, ready for upload.
 */
export class EvidenceRecorder {
  constructor(
    private spoolDir: string,
    private log: Logger,
    readonly clipWindow: ClipWindow = { preSeconds: 5, postSeconds: 5, maxSeconds: 120 },
  ) {
    fs.mkdirSync(spoolDir, { recursive: true });
  }

  /** Plain and annotated snapshot of the frame; [] when its segment is gone. */
  async snapshots(frame: FrameRef, s: Situation, when: "start" | "end"): Promise<EvidenceFile[]> {
    if (!frame.segmentDir) return [];
    // Wait for the segment that holds the frame to close: one whose end lies after the frame.
    // A frame exactly on a boundary belongs to the next segment, which may not be listed yet.
    const segs = await waitForSegments(frame.segmentDir, frame.ptsSec + 1e-3, 30_000);
    const holding = (x: SegmentEntry) => x.startSec <= frame.ptsSec + 1e-3 && x.endSec > frame.ptsSec + 1e-3;
    // The fps filter can stamp the first sample of a run slightly before 0: it is the first segment's first frame.
    const seg =
      segs.find(holding) ??
      [...segs].reverse().find((x) => x.startSec <= frame.ptsSec + 1e-3) ??
      (segs[0] && frame.ptsSec < segs[0].startSec ? segs[0] : undefined);
    if (!seg) {
      this.log.warn({ candidateId: s.candidateId, pts: frame.ptsSec }, "no segment holds the snapshot frame; snapshot skipped");
      return [];
    }
    const tmp = path.join(this.spoolDir, `tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.jpg`);
    const offset = Math.max(0, frame.ptsSec - seg.startSec);
    try {
      await run(ffmpegPath(), ["-v", "error", "-y", "-ss", offset.toFixed(3), "-i", seg.file, "-frames:v", "1", "-q:v", "2", tmp]);
      // Seeking to the very end of a segment yields no frame; take its last frame instead.
      if (!fs.existsSync(tmp)) await run(ffmpegPath(), ["-v", "error", "-y", "-sseof", "-0.5", "-i", seg.file, "-update", "1", "-q:v", "2", tmp]);
      const jpeg = fs.readFileSync(tmp);
      const frontLine = s.rule.kind === "shop_overflow" ? (s.rule.frontLine as [number, number][]) : undefined;
      const annotated = await annotateSnapshot(jpeg, s.zone, s.objects, frontLine, s.staticMask);
      fs.writeFileSync(`${tmp}.annotated`, annotated);
      return [
        await this.keep(tmp, when === "start" ? "snapshot_start" : "snapshot_end", "image/jpeg", ".jpg"),
        await this.keep(`${tmp}.annotated`, when === "start" ? "snapshot_start_annotated" : "snapshot_end_annotated", "image/jpeg", ".jpg"),
      ];
    } catch (err) {
      this.log.warn({ candidateId: s.candidateId, err: (err as Error).message }, "snapshot failed");
      fs.rmSync(tmp, { force: true });
      return [];
    }
  }

  /**
   * One clip of a situation: the closed segments of the run in `dir` from `fromSec` on, up to
   * `toSec` and at most `maxSeconds` long (whole segments, joined with `-c copy`). Returns the
   * clip and the run time it covers up to, where the next clip of the same situation begins;
   * null when no segment covers the span (evidence lost, counted by the caller).
   */
  async clipSpan(
    s: Situation,
    dir: string,
    fromSec: number,
    toSec: number,
    waitMs: number,
  ): Promise<{ clip: EvidenceFile; coveredFromSec: number; coveredUntilSec: number } | null> {
    const w = this.clipWindow;
    const all = (await waitForSegments(dir, toSec, waitMs)).filter((x) => x.endSec > fromSec + 1e-3 && x.startSec < toSec);
    const segs: SegmentEntry[] = [];
    for (const x of all) {
      if (segs.length && x.endSec - segs[0].startSec > w.maxSeconds) break;
      segs.push(x);
    }
    if (!segs.length) return null;
    const tmp = path.join(this.spoolDir, `tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(`${tmp}.txt`, segs.map((x: SegmentEntry) => `file '${x.file.replace(/'/g, "'\\''")}'`).join("\n"));
    const out = `${tmp}.mp4`;
    const base = ["-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", `${tmp}.txt`, "-an"];
    try {
      try {
        await run(ffmpegPath(), [...base, "-c", "copy", "-movflags", "+faststart", out]);
      } catch {
        // Codecs MP4 cannot hold (MS-MPEG4 in old AVI files) are transcoded; camera H.264/H.265 never is.
        await run(ffmpegPath(), [...base, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart", out]);
      }
      const clip = await this.keep(out, "clip", "video/mp4", ".mp4");
      return { clip, coveredFromSec: segs[0].startSec, coveredUntilSec: segs[segs.length - 1].endSec };
    } catch (err) {
      this.log.warn({ candidateId: s.candidateId, err: (err as Error).message }, "clip failed");
      fs.rmSync(out, { force: true });
      return null;
    } finally {
      fs.rmSync(`${tmp}.txt`, { force: true });
    }
  }

  /** Content-addressed name in the spool: the same bytes are one file. */
  private async keep(file: string, kind: EvidenceRef["kind"], contentType: EvidenceRef["contentType"], ext: string): Promise<EvidenceFile> {
    const { sha256, bytes } = await sha256File(file);
    const final = path.join(this.spoolDir, `${sha256}${ext}`);
    fs.renameSync(file, final);
    return { kind, sha256, bytes, contentType, file: final };
  }
}
