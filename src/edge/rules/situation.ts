import type { Rule, Zone } from "../../contracts/edge-config.ts";
import type { TrackedObject } from "../../contracts/candidate.ts";

/** Which sampled frame a snapshot should show: the stream run and its pts locate it in the segment buffer. */
export interface FrameRef {
  tMs: number;
  runId: number;
  ptsSec: number;
  segmentDir?: string;
  videoSec: number;
  original: { width: number; height: number };
  /** When the frame left ffmpeg (wall clock), for latency figures. */
  receivedAtMs: number;
}

/** One violation situation, from dwell reached to its end. `candidateId` never changes. */
export interface Situation {
  candidateId: string;
  cameraId: string;
  zone: Zone;
  rule: Rule;
  startedAtMs: number;
  dwellReachedMs: number;
  lastSeenMs: number;
  endedAtMs?: number;
  videoStartSec: number;
  videoEndSec: number;
  bestScore: number;
  objects: TrackedObject[];
  dwellFrame: FrameRef;
  lastFrame: FrameRef;
  /** What the zone's static-object detector counted as "stands here" when this was last updated (for the annotated snapshot). */
  staticMask?: StaticMaskSnapshot;
}

/** A zone's static-object mask on its analysis grid; `region` is the grid's extent in normalised frame coordinates. */
export interface StaticMaskSnapshot {
  width: number;
  height: number;
  /** 1 = static object, row-major. */
  cells: Uint8Array;
  region: [number, number, number, number];
}

export interface SituationEvent {
  phase: "start" | "update" | "end";
  situation: Situation;
}

export function candidateIdFor(cameraId: string, zoneId: string, ruleId: string, dwellReachedMs: number): string {
  return `cw:${cameraId}:${zoneId}:${ruleId}:${Math.round(dwellReachedMs).toString(36)}`;
}
