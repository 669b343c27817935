import type { StreetVendingRule, Zone } from "../../contracts/edge-config.ts";
import type { Track } from "../track/object-tracker.ts";
import { boxCentre } from "../track/box-geometry.ts";
import { dwellSinceMs, objectInZone, type FrameGeometry, type QualifyingObject, type RuleVerdict } from "./rule-context.ts";

/**
 * Street vending: at least `minPersons` people who have stood still inside the zone for the
 * dwell time, with at least `minGear` vending-gear objects near them. With `minPersons: 0`
 * the gear itself must have stood still for the dwell time (an unattended stall).
 */
export function streetVendingVerdict(tracks: readonly Track[], zone: Zone, rule: StreetVendingRule, geom: FrameGeometry, tMs: number): RuleVerdict {
  const dwellMs = rule.dwellSeconds * 1000;
  const inZone = tracks.map((t) => objectInZone(t, zone, rule, geom)).filter((o): o is QualifyingObject => o !== null);
  const dwelling = (o: QualifyingObject) => tMs - dwellSinceMs(o.track, rule.stationaryTolerance) >= dwellMs;

  const persons = inZone.filter((o) => o.track.role === "person" && dwelling(o));
  const gearCandidates = inZone.filter((o) => rule.gearRoles.includes(o.track.role));
  const gear =
    rule.minPersons > 0 ? gearCandidates.filter((g) => persons.some((p) => isNear(g.track, p.track, rule.nearFactor))) : gearCandidates.filter(dwelling);

  const qualifies = persons.length >= rule.minPersons && gear.length >= rule.minGear && persons.length + gear.length > 0;
  const objects = [...persons, ...gear];
  const sinceMs = objects.length ? Math.min(...objects.map((o) => dwellSinceMs(o.track, rule.stationaryTolerance))) : tMs;
  return { qualifies, objects: qualifies ? objects : [], sinceMs };
}

/** Gear belongs to a person when their centres are within `factor` person-heights. */
export function isNear(gear: Track, person: Track, factor: number): boolean {
  const [gx, gy] = boxCentre(gear.box);
  const [px, py] = boxCentre(person.box);
  const h = person.box[3] - person.box[1];
  return Math.hypot(gx - px, gy - py) <= factor * h;
}
