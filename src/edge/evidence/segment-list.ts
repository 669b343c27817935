import fs from "node:fs";
import path from "node:path";

/** One closed segment of the rolling buffer, times on its stream run's pts timeline. */
export interface SegmentEntry {
  file: string;
  startSec: number;
  endSec: number;
}

/** ffmpeg's segment muxer appends `name,start,end` to segments.csv each time a segment closes. */
export function readSegmentList(dir: string): SegmentEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, "segments.csv"), "utf8");
  } catch {
    return [];
  }
  const out: SegmentEntry[] = [];
  for (const line of text.split("\n")) {
    const [name, start, end] = line.trim().split(",");
    if (!name || start === undefined || end === undefined) continue;
    const file = path.join(dir, name);
    if (fs.existsSync(file)) out.push({ file, startSec: Number(start), endSec: Number(end) });
  }
  return out;
}

const ENDED_MARK = "run-ended";

/** The run's ffmpeg has exited: no segment will follow. */
export function markRunEnded(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, ENDED_MARK), "");
  } catch {
    /* folder already pruned */
  }
}

/** A run that is marked ended, or whose list has not changed for a while, is over; waiting on it is pointless. */
function runIsLive(dir: string): boolean {
  if (fs.existsSync(path.join(dir, ENDED_MARK))) return false;
  try {
    // The folder's time moves when a segment file is created, the list's when one closes: two stats, not one per segment.
    const newest = Math.max(fs.statSync(dir).mtimeMs, fs.statSync(path.join(dir, "segments.csv"), { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return Date.now() - newest < 15_000;
  } catch {
    return false;
  }
}

function listSize(dir: string): number {
  try {
    return fs.statSync(path.join(dir, "segments.csv")).size;
  } catch {
    return -1;
  }
}

/**
 * Waits until the segments up to `untilSec` are closed (or the run is over / time runs out).
 * Polls the list's size and reads it only when it grew: many candidates may be waiting at once.
 */
export async function waitForSegments(dir: string, untilSec: number, timeoutMs: number): Promise<SegmentEntry[]> {
  const deadline = Date.now() + timeoutMs;
  let seenSize = -2;
  for (;;) {
    const size = listSize(dir);
    if (size !== seenSize) {
      seenSize = size;
      const list = readSegmentList(dir);
      if (list.some((s) => s.endSec >= untilSec)) return list;
    }
    if (Date.now() > deadline || !runIsLive(dir)) return readSegmentList(dir);
    await new Promise((r) => setTimeout(r, 250));
  }
}
