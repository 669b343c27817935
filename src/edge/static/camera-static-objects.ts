import type { CameraConfig } from "../../contracts/edge-config.ts";
import type { Detection } from "../../contracts/roles.ts";
import { decodeReferenceGray, referenceFitsZone } from "../../shared/zone-reference-codec.ts";
import { ZoneStaticDetector, type StaticFrame } from "./zone-static-detector.ts";
import type { StaticMaskSnapshot } from "../rules/situation.ts";

/** A zone's current mask, named. */
export type ZoneStaticMask = StaticMaskSnapshot & { zoneId: string };

/** Roles whose boxes are frozen out of the background model: they come and go by themselves. */
const FROZEN_ROLES = new Set(["person", "vehicle"]);
const FROZEN_MIN_SCORE = 0.3;

/**
 * The static-object detectors of one camera, one per zone, kept across config changes while a
 * zone's polygon stays the same (a learned background is not thrown away for a rule tweak).
 */
export class CameraStaticObjects {
  private detectors = new Map<string, { key: string; detector: ZoneStaticDetector; original: { width: number; height: number } }>();
  /** Wall-clock time of the last frame the detectors saw (null before the first). */
  updatedAt: number | null = null;

  /** `onReferenceProblem`: a zone's stored reference could not be used (the zone then learns its background from scratch). */
  constructor(private readonly onReferenceProblem: (zoneId: string, problem: string) => void = () => undefined) {}

  /** Static-object detections of this frame, in original pixels, given the detector's own detections. */
  update(zones: CameraConfig["zones"], frame: StaticFrame, tMs: number, detections: readonly Detection[]): Detection[] {
    const frozen = detections.filter((d) => FROZEN_ROLES.has(d.role) && d.score >= FROZEN_MIN_SCORE).map((d) => d.box);
    const next = new Map<string, { key: string; detector: ZoneStaticDetector; original: { width: number; height: number } }>();
    const out: Detection[] = [];
    for (const zone of zones) {
      // A new reference (or a moved zone) starts the zone's background model afresh.
      const key = JSON.stringify([zone.polygon, zone.reference?.version ?? 0]);
      const prior = this.detectors.get(zone.id);
      const entry = prior && prior.key === key ? prior : { key, detector: this.detectorFor(zone, frame), original: frame.original };
      next.set(zone.id, entry);
      out.push(...entry.detector.update(frame, tMs, frozen));
    }
    this.detectors = next;
    this.updatedAt = Date.now();
    return out;
  }

  private detectorFor(zone: CameraConfig["zones"][number], frame: StaticFrame): ZoneStaticDetector {
    const detector = new ZoneStaticDetector(zone.polygon.map(([x, y]) => [x * frame.original.width, y * frame.original.height] as const));
    const ref = zone.reference;
    if (!ref) return detector;
    if (!referenceFitsZone(ref, zone.polygon)) {
      this.onReferenceProblem(zone.id, `the clear-pavement reference (version ${ref.version}) was captured for another outline of the zone; capture it again`);
      return detector;
    }
    try {
      detector.setReferenceGray({ width: ref.width, height: ref.height, data: decodeReferenceGray(ref) });
    } catch (err) {
      this.onReferenceProblem(zone.id, `the clear-pavement reference (version ${ref.version}) is unreadable: ${(err as Error).message}`);
    }
    return detector;
  }

  /** The zone's current static-object mask in normalised coordinates, or undefined when nothing stands in it. */
  maskOf(zoneId: string, original: { width: number; height: number }): StaticMaskSnapshot | undefined {
    const entry = this.detectors.get(zoneId);
    if (!entry) return undefined;
    const m = normalised(entry.detector, original);
    return m.cells.includes(1) ? m : undefined;
  }

  /**
   * Every zone's current mask, those where nothing stands included (so the zone editor can tell
   * "nothing here" from "not reported"), in normalised coordinates of the frame each detector was built on.
   */
  masks(): ZoneStaticMask[] {
    return [...this.detectors].map(([zoneId, e]) => ({ zoneId, ...normalised(e.detector, e.original) }));
  }
}

function normalised(detector: ZoneStaticDetector, original: { width: number; height: number }): StaticMaskSnapshot {
  const m = detector.staticMask();
  const [x1, y1, x2, y2] = m.region;
  return { width: m.width, height: m.height, cells: m.data, region: [x1 / original.width, y1 / original.height, x2 / original.width, y2 / original.height] };
}
