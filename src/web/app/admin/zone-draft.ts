import { polygonSchema, zoneSchema, type Zone } from "../../../contracts/edge-config.ts";
import { gridFromSchedule, scheduleFromGrid, type HourGrid } from "./schedule.ts";
import type { RuleKind } from "../api/types.ts";

export type Point = [number, number];
export type { RuleKind } from "../api/types.ts";

/** A zone while it is being drawn: may be incomplete; `toZone` validates it against the edge contract. */
export interface ZoneDraft {
  id: string;
  name: string;
  polygon: Point[];
  kind: RuleKind;
  ruleId: string;
  eventCode: { major: string; minor: string };
  dwellSeconds: number;
  minScore: number;
  minBoxPx: number;
  cooldownSeconds: number;
  anchor: "bottom_center" | "center" | "top_center" | "any_corner" | "whole_box";
  shopId: string;
  frontLine: Point[];
  streetSidePoint: Point | null;
  schedule: HourGrid;
  /** Score the track's median must reach (one lucky frame is not enough). */
  minMedianScore: number;
  endAfterSeconds: number;
  timezone: string;
  minPersons: number;
  minGear: number;
  nearFactor: number;
  stationaryTolerance: number;
  minObjects: number;
  /** Rule fields the editor does not show (role lists); kept as they were so saving never resets them. */
  kept: Record<string, unknown>;
}

/** Why the editor refuses a zone: a stable code, translated by the editor. */
export interface ZoneProblem {
  zoneId: string;
  code: "polygon_points" | "polygon_self_intersects" | "polygon_no_area" | "front_line" | "street_side" | "shop" | "zone_id" | "event_code" | "field";
  field?: string;
}

export function newZoneDraft(n: number): ZoneDraft {
  return {
    id: `zone-${n}`,
    name: "",
    polygon: [],
    kind: "street_vending",
    ruleId: `rule-${n}`,
    eventCode: { major: "05", minor: "01" },
    dwellSeconds: 60,
    minScore: 0.35,
    minBoxPx: 8,
    cooldownSeconds: 300,
    anchor: "bottom_center",
    shopId: "",
    frontLine: [],
    streetSidePoint: null,
    schedule: gridFromSchedule([]),
    minMedianScore: 0.4,
    endAfterSeconds: 30,
    timezone: "Asia/Shanghai",
    minPersons: 1,
    minGear: 1,
    nearFactor: 1.5,
    stationaryTolerance: 0.5,
    minObjects: 1,
    kept: {},
  };
}

export function draftFromZone(z: Zone): ZoneDraft {
  const r = z.rules[0];
  const d = newZoneDraft(0);
  return {
    ...d,
    id: z.id,
    name: z.name,
    polygon: z.polygon as Point[],
    kind: r.kind,
    ruleId: r.id,
    eventCode: r.eventCode,
    dwellSeconds: r.dwellSeconds,
    minScore: r.minScore,
    minBoxPx: r.minBoxPx,
    cooldownSeconds: r.cooldownSeconds,
    anchor: r.anchor,
    shopId: r.kind === "shop_overflow" ? r.shopId : "",
    frontLine: r.kind === "shop_overflow" ? (r.frontLine as Point[]) : [],
    streetSidePoint: r.kind === "shop_overflow" ? (r.streetSidePoint as Point) : null,
    schedule: gridFromSchedule(r.schedule),
    minMedianScore: r.minMedianScore,
    endAfterSeconds: r.endAfterSeconds,
    timezone: r.timezone,
    minPersons: r.kind === "street_vending" ? r.minPersons : d.minPersons,
    minGear: r.kind === "street_vending" ? r.minGear : d.minGear,
    nearFactor: r.kind === "street_vending" ? r.nearFactor : d.nearFactor,
    stationaryTolerance: r.kind === "street_vending" ? r.stationaryTolerance : d.stationaryTolerance,
    minObjects: r.kind === "shop_overflow" ? r.minObjects : d.minObjects,
    kept: { minStaticObjectArea: r.minStaticObjectArea, ...(r.kind === "street_vending" ? { gearRoles: r.gearRoles } : { objectRoles: r.objectRoles }) },
  };
}

/** Do two segments cross (touching at a shared end point does not count)? */
function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const orient = (p: Point, q: Point, r: Point) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0;
}

/** A polygon whose edges cross each other (a bow tie) has no clear inside. */
export function selfIntersects(points: Point[]): boolean {
  const n = points.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsCross(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n])) return true;
    }
  return false;
}

/** What is wrong with a drawn area, if anything: too few corners, crossing edges, or no surface. */
export function polygonProblem(points: Point[]): "polygon_points" | "polygon_self_intersects" | "polygon_no_area" | null {
  if (points.length < 3) return "polygon_points";
  if (selfIntersects(points)) return "polygon_self_intersects";
  if (!polygonSchema.safeParse(points).success) return "polygon_no_area";
  return null;
}

/** Clicks on (nearly) the same spot count once: a double-click to finish lands two more points where the last one is. */
export function withoutRepeats(points: Point[], tolerance = 0.002): Point[] {
  const same = (a: Point, b: Point) => Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance;
  const out: Point[] = [];
  for (const p of points) if (!out.length || !same(out[out.length - 1], p)) out.push(p);
  while (out.length > 2 && same(out[0], out[out.length - 1])) out.pop();
  return out;
}

/** The draft as the edge-config contract's zone, or what is wrong with it as problem codes. */
export function toZone(d: ZoneDraft): { ok: true; zone: Zone } | { ok: false; errors: ZoneProblem[] } {
  const area = polygonProblem(d.polygon);
  if (area) return { ok: false, errors: [{ zoneId: d.id, code: area }] };
  // Kept fields of the other rule kind are dropped: the schema refuses keys a kind does not have.
  const { gearRoles, objectRoles, ...keptCommon } = d.kept;
  const common = {
    ...keptCommon,
    id: d.ruleId,
    eventCode: d.eventCode,
    dwellSeconds: d.dwellSeconds,
    minScore: d.minScore,
    minBoxPx: d.minBoxPx,
    cooldownSeconds: d.cooldownSeconds,
    anchor: d.anchor,
    schedule: scheduleFromGrid(d.schedule),
    minMedianScore: d.minMedianScore,
    endAfterSeconds: d.endAfterSeconds,
    timezone: d.timezone,
  };
  const rule =
    d.kind === "street_vending"
      ? {
          ...common,
          kind: "street_vending" as const,
          minPersons: d.minPersons,
          minGear: d.minGear,
          nearFactor: d.nearFactor,
          stationaryTolerance: d.stationaryTolerance,
          ...(gearRoles ? { gearRoles } : {}),
        }
      : {
          ...common,
          kind: "shop_overflow" as const,
          shopId: d.shopId,
          frontLine: d.frontLine,
          streetSidePoint: d.streetSidePoint ?? undefined,
          minObjects: d.minObjects,
          ...(objectRoles ? { objectRoles } : {}),
        };
  const parsed = zoneSchema.safeParse({ id: d.id, name: d.name, polygon: d.polygon, rules: [rule] });
  if (parsed.success) return { ok: true, zone: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => problemOf(d.id, i.path.map(String))) };
}

function problemOf(zoneId: string, path: string[]): ZoneProblem {
  const last = path[path.length - 1];
  if (path[0] === "polygon") return { zoneId, code: "polygon_no_area" };
  if (path[0] === "id") return { zoneId, code: "zone_id" };
  if (path.includes("frontLine")) return { zoneId, code: "front_line" };
  if (path.includes("streetSidePoint")) return { zoneId, code: "street_side" };
  if (path.includes("shopId")) return { zoneId, code: "shop" };
  if (path.includes("eventCode")) return { zoneId, code: "event_code" };
  return { zoneId, code: "field", field: last };
}
