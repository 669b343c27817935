import type { CameraConfig } from "../../contracts/edge-config.ts";
import type { RuleStanding, ZoneActivityEntry } from "../../contracts/zone-activity.ts";
import type { Track } from "../track/object-tracker.ts";
import type { FrameGeometry, RuleVerdict } from "./rule-context.ts";
import { noFramesStanding, ruleStanding, zoneDetections } from "./rule-standing.ts";
import { shopOverflowVerdict } from "./shop-overflow-rule.ts";
import type { FrameRef, Situation, SituationEvent } from "./situation.ts";
import { SituationLifecycle } from "./situation-lifecycle.ts";
import { streetVendingVerdict } from "./street-vending-rule.ts";

/** Every zone × rule of one camera, evaluated on each tracked frame. */
export class CameraRules {
  private lifecycles = new Map<string, SituationLifecycle>();

  constructor(
    private cameraId: string,
    zones: CameraConfig["zones"],
  ) {
    this.reconfigure(zones);
  }

  /**
   * New zones/rules from a config change. Lifecycles of zone × rule ids that still exist keep
   * their open situation and cooldown (a polygon tweak must not re-raise a case); removed ones end.
   */
  reconfigure(zones: CameraConfig["zones"]): SituationEvent[] {
    const next = new Map<string, SituationLifecycle>();
    for (const zone of zones) {
      for (const rule of zone.rules) {
        const key = `${zone.id}/${rule.id}`;
        const existing = this.lifecycles.get(key);
        if (existing && existing.rule.kind === rule.kind) {
          existing.zone = zone;
          existing.rule = rule;
          next.set(key, existing);
        } else next.set(key, new SituationLifecycle(this.cameraId, zone, rule));
      }
    }
    const ended: SituationEvent[] = [];
    for (const [key, lc] of this.lifecycles) if (!next.has(key) && lc.current) ended.push(lc.end());
    this.lifecycles = next;
    return ended;
  }

  evaluate(tracks: readonly Track[], geom: FrameGeometry, frame: FrameRef): SituationEvent[] {
    const events: SituationEvent[] = [];
    for (const lc of this.lifecycles.values()) {
      const verdict: RuleVerdict =
        lc.rule.kind === "street_vending"
          ? streetVendingVerdict(tracks, lc.zone, lc.rule, geom, frame.tMs)
          : shopOverflowVerdict(tracks, lc.zone, lc.rule, geom, frame.tMs);
      events.push(...lc.evaluate(verdict, frame));
    }
    return events;
  }

  /**
   * End the situations whose end timeout has passed with no frame at all for that long (the
   * camera went silent): without frames nothing else would ever end them. A camera whose frames
   * still arrive is left to the frames (a detector running behind must not end situations).
   */
  expire(nowMs: number, lastFrameMs: number): SituationEvent[] {
    const ended: SituationEvent[] = [];
    for (const lc of this.lifecycles.values()) {
      const s = lc.current;
      if (s && nowMs - Math.max(lastFrameMs, s.lastSeenMs) >= lc.rule.endAfterSeconds * 1000) ended.push(lc.end());
    }
    return ended;
  }

  /**
   * Each zone's detections and where each of its rules stands, as of the frame the rules last
   * evaluated (`tracks` as the tracker left them then), zones and rules in config order.
   */
  activity(tracks: readonly Track[], geom: FrameGeometry, tMs: number): ZoneActivityEntry[] {
    return this.byZone(
      (zone) => zoneDetections(tracks, zone, geom),
      (lc) => ruleStanding(tracks, lc.zone, lc.rule, geom, tMs, lc.standing),
    );
  }

  /** Every zone × rule as `no_frames`, nothing detected: no frame for `sinceSeconds` (null: none yet). */
  activityWithoutFrames(sinceSeconds: number | null): ZoneActivityEntry[] {
    const standing = noFramesStanding(sinceSeconds);
    return this.byZone(
      () => [],
      () => standing,
    );
  }

  private byZone(detections: (zone: SituationLifecycle["zone"]) => ZoneActivityEntry["detections"], standing: (lc: SituationLifecycle) => RuleStanding) {
    const zones = new Map<string, ZoneActivityEntry>();
    for (const lc of this.lifecycles.values()) {
      let entry = zones.get(lc.zone.id);
      if (!entry) zones.set(lc.zone.id, (entry = { zoneId: lc.zone.id, detections: detections(lc.zone), rules: [] }));
      entry.rules.push({ ruleId: lc.rule.id, kind: lc.rule.kind, ...standing(lc) });
    }
    return [...zones.values()];
  }

  /** End every open situation (a replayed file ran out). */
  endAll(): SituationEvent[] {
    return [...this.lifecycles.values()].filter((lc) => lc.current).map((lc) => lc.end());
  }

  /** Re-attach situations that were open when the edge stopped; returns the ones that no longer have a rule. */
  restore(situations: Situation[]): Situation[] {
    const orphans: Situation[] = [];
    for (const s of situations) {
      const lc = this.lifecycles.get(`${s.zone.id}/${s.rule.id}`);
      if (lc && !lc.current) lc.restore(s);
      else orphans.push(s);
    }
    return orphans;
  }

  openSituations(): Situation[] {
    return [...this.lifecycles.values()].flatMap((lc) => (lc.current ? [lc.current] : []));
  }
}
