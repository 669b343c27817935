import type { Box, Detection, ObjectRole } from "../../contracts/roles.ts";
import { boxCentre, iou } from "./box-geometry.ts";

export interface Track {
  id: number;
  label: string;
  role: ObjectRole;
  /** Latest box, in original-frame pixels. */
  box: Box;
  /** Score of the latest matched detection. */
  score: number;
  /** Scores of every matched detection (bounded), for the rules' median test. */
  scores: number[];
  firstSeenMs: number;
  lastSeenMs: number;
  /** Recent positions (bounded), so each rule can judge "stationary" with its own tolerance. */
  history: TrackPoint[];
  hits: number;
  /** True when the latest frame matched a detection (false while flickering). */
  seenNow: boolean;
}

export interface TrackPoint {
  tMs: number;
  cx: number;
  cy: number;
  h: number;
}

export interface TrackerOptions {
  /** Detections at or above this start tracks and match first (ByteTrack's high set). */
  highScore: number;
  /** Detections between lowScore and highScore only extend existing tracks (ByteTrack's second pass). */
  lowScore: number;
  matchIou: number;
  /** A track missing for up to this long keeps its id (flicker); after that it is dropped. */
  maxMissedMs: number;
}

export const defaultTrackerOptions: TrackerOptions = {
  highScore: 0.4,
  lowScore: 0.15,
  matchIou: 0.3,
  maxMissedMs: 30_000,
};

const MAX_SCORES = 200;
/** Enough positions for a dwell of several minutes at 1–2 samples/s. */
const MAX_HISTORY = 1200;

function point(box: Box, tMs: number): TrackPoint {
  const [cx, cy] = boxCentre(box);
  return { tMs, cx, cy, h: Math.max(1, box[3] - box[1]) };
}

/**
 * Since when the track has stayed within `tolerance` × its box height of where it is now:
 * walking back through its history until it was further away. A walking person's answer
 * stays near "now"; a vendor's grows with every sample.
 */
export function stationarySinceMs(track: Track, tolerance: number, maxGapMs = MAX_UNSEEN_GAP_MS): number {
  const h = track.history;
  if (!h.length) return track.lastSeenMs;
  const last = h[h.length - 1];
  let since = last.tMs;
  let sightings = 1;
  for (let i = h.length - 2; i >= 0; i--) {
    const p = h[i];
    if (Math.hypot(p.cx - last.cx, p.cy - last.cy) > tolerance * last.h) break;
    // Unseen for long, the stay cannot be vouched for: someone else may have stepped into the spot.
    if (since - p.tMs > maxGapMs) break;
    since = p.tMs;
    sightings++;
  }
  // A stay vouched for by one or two sightings is a detection flicker, not a dwell.
  return sightings >= MIN_SIGHTINGS ? since : last.tMs;
}

const MIN_SIGHTINGS = 3;

/** Flicker and short occlusions (a passer-by in front of a stall) do not break a stay; longer gaps do. */
export const MAX_UNSEEN_GAP_MS = 6_000;

/**
 * IoU tracker in the ByteTrack style: high-confidence detections match first, low ones
 * only keep existing tracks alive, so a parked cart whose score dips for a frame keeps
 * its id. Lost tracks are kept for `maxMissedMs` and re-matched, so flicker never mints
 * a new id for an object that did not move. Matching is per role and greedy by IoU,
 * which is plenty for the few dozen objects of a street camera.
 */
export class ObjectTracker {
  private tracks: Track[] = [];
  private nextId = 1;

  constructor(readonly opts: TrackerOptions = defaultTrackerOptions) {}

  get all(): readonly Track[] {
    return this.tracks;
  }

  update(detections: Detection[], tMs: number): Track[] {
    for (const t of this.tracks) t.seenNow = false;
    const high = detections.filter((d) => d.score >= this.opts.highScore);
    const low = detections.filter((d) => d.score >= this.opts.lowScore && d.score < this.opts.highScore);

    const unmatchedHigh = this.associate(high, this.tracks, this.opts.matchIou, tMs);
    const unmatchedTracks = this.tracks.filter((t) => !t.seenNow);
    this.associate(low, unmatchedTracks, Math.max(this.opts.matchIou, 0.5), tMs);

    for (const d of unmatchedHigh) {
      this.tracks.push({
        id: this.nextId++,
        label: d.label,
        role: d.role,
        box: d.box,
        score: d.score,
        scores: [d.score],
        firstSeenMs: tMs,
        lastSeenMs: tMs,
        history: [point(d.box, tMs)],
        hits: 1,
        seenNow: true,
      });
    }
    this.tracks = this.tracks.filter((t) => tMs - t.lastSeenMs <= this.opts.maxMissedMs);
    return this.tracks;
  }

  /** Greedy IoU matching within a role; returns the detections left unmatched. */
  private associate(dets: Detection[], tracks: Track[], minIou: number, tMs: number): Detection[] {
    const pairs: { d: number; t: Track; iou: number }[] = [];
    dets.forEach((d, i) => {
      for (const t of tracks) {
        if (t.role !== d.role || t.seenNow) continue;
        const v = iou(d.box, t.box);
        if (v >= minIou) pairs.push({ d: i, t, iou: v });
      }
    });
    pairs.sort((a, b) => b.iou - a.iou);
    const usedDets = new Set<number>();
    for (const p of pairs) {
      if (usedDets.has(p.d) || p.t.seenNow) continue;
      usedDets.add(p.d);
      this.extend(p.t, dets[p.d], tMs);
    }
    return dets.filter((_, i) => !usedDets.has(i));
  }

  private extend(t: Track, d: Detection, tMs: number): void {
    t.box = d.box;
    t.score = d.score;
    t.label = d.score >= this.opts.highScore ? d.label : t.label;
    t.scores.push(d.score);
    if (t.scores.length > MAX_SCORES) t.scores.shift();
    t.lastSeenMs = tMs;
    t.hits++;
    t.seenNow = true;
    t.history.push(point(d.box, tMs));
    if (t.history.length > MAX_HISTORY) t.history.shift();
  }
}

export function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
