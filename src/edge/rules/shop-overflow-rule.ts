import type { ShopOverflowRule, Zone } from "../../contracts/edge-config.ts";
import type { Track } from "../track/object-tracker.ts";
import { dwellSinceMs, objectInZone, type FrameGeometry, type QualifyingObject, type RuleVerdict } from "./rule-context.ts";
import { anchorPoint, onStreetSide } from "./zone-geometry.ts";

/** Goods do not walk: anything that drifts more than half its height is being carried, not displayed. */
export const GOODS_STATIONARY_TOLERANCE = 0.5;

/**
 * Shop overflow (店外经营): goods, furniture or vending gear standing beyond the shop's front
 * line, on the street side, inside the sidewalk zone assigned to that shop, for the dwell time.
 */
export function shopOverflowVerdict(tracks: readonly Track[], zone: Zone, rule: ShopOverflowRule, geom: FrameGeometry, tMs: number): RuleVerdict {
  const dwellMs = rule.dwellSeconds * 1000;
  const frontLine = rule.frontLine as [number, number][];
  const street = rule.streetSidePoint as [number, number];
  const objects = tracks
    .filter((t) => rule.objectRoles.includes(t.role))
    .map((t) => objectInZone(t, zone, rule, geom))
    .filter((o): o is QualifyingObject => o !== null)
    .filter((o) => onStreetSide(anchorPoint(o.box, rule.anchor), frontLine, street))
    .filter((o) => tMs - dwellSinceMs(o.track, GOODS_STATIONARY_TOLERANCE) >= dwellMs);
  const qualifies = objects.length >= rule.minObjects;
  const sinceMs = objects.length ? Math.min(...objects.map((o) => dwellSinceMs(o.track, GOODS_STATIONARY_TOLERANCE))) : tMs;
  return { qualifies, objects: qualifies ? objects : [], sinceMs };
}
