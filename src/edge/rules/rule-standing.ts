import type { Rule, ShopOverflowRule, StreetVendingRule, Zone } from "../../contracts/edge-config.ts";
import type { ObjectRole } from "../../contracts/roles.ts";
import { textProblem } from "../../contracts/safe-text.ts";
import { ZONE_ACTIVITY_MAX_DETECTIONS, ZONE_ACTIVITY_MAX_SECONDS, type RuleStanding, type ZoneDetection } from "../../contracts/zone-activity.ts";
import type { Track } from "../track/object-tracker.ts";
import { isArmed } from "./arming-schedule.ts";
import { dwellSinceMs, judgeObject, type FrameGeometry, type QualifyingObject } from "./rule-context.ts";
import { GOODS_STATIONARY_TOLERANCE } from "./shop-overflow-rule.ts";
import { isNear } from "./street-vending-rule.ts";
import { anchorInside, anchorPoint, normaliseBox, onStreetSide } from "./zone-geometry.ts";

/** What one zone × rule's situation lifecycle knows beyond the frame: an open situation and the cooldown after the last. */
export interface LifecycleStanding {
  /** When the open situation reached its dwell (was raised); null when none is open. */
  raisedAtMs: number | null;
  /** No new situation starts before this (the last one ended less than `cooldownSeconds` ago). */
  cooldownUntilMs: number;
}

/**
 * Where a rule stands on the frame at `tMs`, for the zone editor's "why is this zone quiet".
 * Run after the lifecycle has seen the frame, so a rule whose dwell was reached is `raised` or
 * held back by the cooldown or the schedule, in the lifecycle's own order. Otherwise it is
 * `counting` when what the rule needs is there (the dwell running), or `not_enough`, naming what
 * is missing and what the rule's thresholds left out. The counts use the same per-object tests
 * as the rules (`judgeObject`), so the editor never explains a verdict the rules did not reach.
 */
export function ruleStanding(tracks: readonly Track[], zone: Zone, rule: Rule, geom: FrameGeometry, tMs: number, lifecycle: LifecycleStanding): RuleStanding {
  if (lifecycle.raisedAtMs !== null) return { state: "raised", detail: { sinceSeconds: wholeSeconds(tMs - lifecycle.raisedAtMs) } };
  if (tMs < lifecycle.cooldownUntilMs) return { state: "cooldown", detail: { secondsLeft: wholeSeconds(lifecycle.cooldownUntilMs - tMs, Math.ceil) } };
  if (!isArmed(rule.schedule, rule.timezone, tMs)) return { state: "outside_schedule", detail: {} };
  return rule.kind === "street_vending" ? streetVendingStanding(tracks, zone, rule, geom, tMs) : shopOverflowStanding(tracks, zone, rule, geom, tMs);
}

/** Every rule's standing when no frame has reached the rules for `sinceSeconds` (null: none yet). */
export function noFramesStanding(sinceSeconds: number | null): RuleStanding {
  return { state: "no_frames", detail: { sinceSeconds: sinceSeconds === null ? null : wholeSeconds(sinceSeconds * 1000) } };
}

function streetVendingStanding(tracks: readonly Track[], zone: Zone, rule: StreetVendingRule, geom: FrameGeometry, tMs: number): RuleStanding {
  const { counted, dropped } = sortOut(tracks, zone, rule, geom, ["person", ...rule.gearRoles]);
  const dwellMs = (o: QualifyingObject) => tMs - dwellSinceMs(o.track, rule.stationaryTolerance);
  const persons = counted.filter((o) => o.track.role === "person");
  const gearAll = counted.filter((o) => rule.gearRoles.includes(o.track.role));
  if (rule.minPersons > 0) {
    // The rule counts gear near the people who dwell; here, near the people present (their dwell is what is counted).
    const gear = gearAll.filter((g) => persons.some((p) => isNear(g.track, p.track, rule.nearFactor)));
    if (persons.length >= rule.minPersons && gear.length >= rule.minGear) return counting(nthLongest(persons.map(dwellMs), rule.minPersons), rule.dwellSeconds);
    return {
      state: "not_enough",
      detail: {
        persons: { seen: persons.length, needed: rule.minPersons },
        gear: { seen: gear.length, needed: rule.minGear },
        gearNotNear: gearAll.length - gear.length,
        dropped,
      },
    };
  }
  // An unattended stall: the gear itself must stay (or, with minGear 0 too, anything of the rule's).
  if (gearAll.length >= rule.minGear && gearAll.length + persons.length > 0) {
    const dwell = rule.minGear > 0 ? nthLongest(gearAll.map(dwellMs), rule.minGear) : Math.max(...[...persons, ...gearAll].map(dwellMs));
    return counting(dwell, rule.dwellSeconds);
  }
  return { state: "not_enough", detail: { persons: { seen: persons.length, needed: 0 }, gear: { seen: gearAll.length, needed: rule.minGear }, dropped } };
}

function shopOverflowStanding(tracks: readonly Track[], zone: Zone, rule: ShopOverflowRule, geom: FrameGeometry, tMs: number): RuleStanding {
  const { counted, dropped } = sortOut(tracks, zone, rule, geom, rule.objectRoles);
  const frontLine = rule.frontLine as [number, number][];
  const street = rule.streetSidePoint as [number, number];
  const beyond = counted.filter((o) => onStreetSide(anchorPoint(o.box, rule.anchor), frontLine, street));
  if (beyond.length >= rule.minObjects)
    return counting(
      nthLongest(
        beyond.map((o) => tMs - dwellSinceMs(o.track, GOODS_STATIONARY_TOLERANCE)),
        rule.minObjects,
      ),
      rule.dwellSeconds,
    );
  return {
    state: "not_enough",
    detail: { beyondLine: { seen: beyond.length, needed: rule.minObjects }, behindLine: counted.length - beyond.length, dropped },
  };
}

/** The objects of `roles` the rule counts in the zone this frame, and how many its thresholds left out (anchor in the zone only). */
function sortOut(tracks: readonly Track[], zone: Zone, rule: Rule, geom: FrameGeometry, roles: readonly ObjectRole[]) {
  const counted: QualifyingObject[] = [];
  const dropped = { lowScore: 0, smallBox: 0, smallStatic: 0 };
  for (const track of tracks) {
    if (!roles.includes(track.role)) continue;
    const judged = judgeObject(track, zone, rule, geom);
    if (judged === "low_score") dropped.lowScore++;
    else if (judged === "small_box") dropped.smallBox++;
    else if (judged === "small_static") dropped.smallStatic++;
    else if (typeof judged !== "string") counted.push(judged);
  }
  return { counted, dropped };
}

/** The dwell the rule waits on: with `n` objects needed, the n-th longest stay. */
function nthLongest(dwellsMs: number[], n: number): number {
  return [...dwellsMs].sort((a, b) => b - a)[n - 1] ?? 0;
}

function counting(dwellMs: number, dwellSeconds: number): RuleStanding {
  return { state: "counting", detail: { dwellSoFarSeconds: wholeSeconds(dwellMs), dwellSeconds: Math.min(dwellSeconds, ZONE_ACTIVITY_MAX_SECONDS) } };
}

/** A span in whole seconds within the contract's bounds (a stay is floored: 19.9 s is not yet 20). */
function wholeSeconds(ms: number, round: (v: number) => number = Math.floor): number {
  return Math.min(ZONE_ACTIVITY_MAX_SECONDS, Math.max(0, round(ms / 1000)));
}

/**
 * The objects seen in this frame whose anchor, for any of the zone's rules, lies in the zone:
 * the most certain first, at most the contract's 30, boxes in fractions of the frame.
 */
export function zoneDetections(tracks: readonly Track[], zone: Zone, geom: FrameGeometry): ZoneDetection[] {
  const anchors = [...new Set(zone.rules.map((r) => r.anchor))];
  const polygon = zone.polygon as [number, number][];
  return tracks
    .filter((t) => t.seenNow)
    .map((track) => ({ track, box: normaliseBox(track.box, geom.original) }))
    .filter(({ box }) => anchors.some((a) => anchorInside(box, polygon, a)))
    .sort((a, b) => b.track.score - a.track.score)
    .slice(0, ZONE_ACTIVITY_MAX_DETECTIONS)
    .map(({ track, box }) => ({
      label: labelOf(track),
      role: track.role,
      score: Math.min(1, Math.max(0, Math.round(track.score * 1000) / 1000)),
      box: box.map((v) => Math.round(v * 10000) / 10000) as ZoneDetection["box"],
    }));
}

/** A model's class name as the contract takes it; one it cannot carry is named by its role. */
function labelOf(track: Track): string {
  const label = track.label.slice(0, 64);
  return label && !textProblem(label) ? label : track.role;
}
