import { zoneSchema, type Zone } from "../../../contracts/edge-config.ts";
import { gridFromSchedule, scheduleFromGrid, type HourGrid } from "./schedule.ts";

export type Point = [number, number];
export type RuleKind = "street_vending" | "shop_overflow";

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
  };
}

/** The draft as the edge-config contract's zone, or the contract's own complaints in words. */
export function toZone(d: ZoneDraft): { ok: true; zone: Zone } | { ok: false; errors: string[] } {
  const common = {
    id: d.ruleId,
    eventCode: d.eventCode,
    dwellSeconds: d.dwellSeconds,
    minScore: d.minScore,
    minBoxPx: d.minBoxPx,
    cooldownSeconds: d.cooldownSeconds,
    anchor: d.anchor,
    schedule: scheduleFromGrid(d.schedule),
  };
  const rule =
    d.kind === "street_vending"
      ? { ...common, kind: "street_vending" as const }
      : { ...common, kind: "shop_overflow" as const, shopId: d.shopId, frontLine: d.frontLine, streetSidePoint: d.streetSidePoint ?? undefined };
  const parsed = zoneSchema.safeParse({ id: d.id, name: d.name, polygon: d.polygon, rules: [rule] });
  if (parsed.success) return { ok: true, zone: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${d.id}: ${i.path.join(".") || "zone"} — ${i.message}`) };
}
