import { useMemo } from "react";
import { useEdgeReport } from "./edge-report.ts";
import type { RuleActivity, ZoneActivity, ZoneDetection } from "../../../contracts/zone-activity.ts";
import { cameraApi } from "./camera-api.ts";

type Translate = (phrase: string, vars?: Record<string, string | number>) => string;

export type ZoneActivityState =
  | { kind: "off" }
  | { kind: "loading" }
  | { kind: "ready"; activity: ZoneActivity }
  /** The edge has not reported zone activity for this camera (not running, older version, or not yet). */
  | { kind: "not_reported" }
  | { kind: "error"; error: unknown };

const loadActivity = (cameraId: string, signal: AbortSignal) => cameraApi.zoneActivity(cameraId, signal);

/** The camera's zone activity while `enabled`, refreshed as the edge reports it; "off" otherwise. */
export function useZoneActivity(cameraId: string, enabled: boolean): ZoneActivityState {
  const report = useEdgeReport(cameraId, enabled, loadActivity, "zone_activity_not_reported");
  return useMemo(() => (report.kind === "ready" ? { kind: "ready", activity: report.value } : report), [report]);
}

/** Where a rule stands, in plain words (never the state's name). */
export function ruleStandingText(rule: RuleActivity, t: Translate): string {
  switch (rule.state) {
    case "raised":
      return t("Raised: a candidate was reported {n} s ago", { n: rule.detail.sinceSeconds });
    case "counting":
      return t("Counting: stayed {n} s of the {m} s needed", { n: rule.detail.dwellSoFarSeconds, m: rule.detail.dwellSeconds });
    case "outside_schedule":
      return t("Outside the arming schedule");
    case "cooldown":
      return t("Cooling down: {n} s left", { n: rule.detail.secondsLeft });
    case "no_frames":
      return rule.detail.sinceSeconds === null
        ? t("No picture: the edge has not analysed a frame of this camera yet")
        : t("No picture: no frame analysed for {n} s", { n: rule.detail.sinceSeconds });
    case "not_enough":
      return t("Not raised: {what}", { what: missingParts(rule.detail, t).join(t("; ")) });
  }
}

/** What a `not_enough` rule lacks first, then what stands in the zone but does not count, and why. */
function missingParts(d: Extract<RuleActivity, { state: "not_enough" }>["detail"], t: Translate): string[] {
  const parts: string[] = [];
  const unmet = (c: { seen: number; needed: number } | undefined) => c !== undefined && c.seen < c.needed;
  if (unmet(d.persons)) parts.push(t("needs at least {needed} person(s), {seen} now", { needed: d.persons!.needed, seen: d.persons!.seen }));
  if (unmet(d.gear)) parts.push(t("needs at least {needed} piece(s) of vending gear, {seen} now", { needed: d.gear!.needed, seen: d.gear!.seen }));
  if (unmet(d.beyondLine))
    parts.push(t("needs at least {needed} object(s) beyond the shop front line, {seen} now", { needed: d.beyondLine!.needed, seen: d.beyondLine!.seen }));
  if (!parts.length) parts.push(t("nothing in the zone counts for this rule"));
  if (d.gearNotNear) parts.push(t("{n} piece(s) of vending gear too far from anyone", { n: d.gearNotNear }));
  if (d.behindLine) parts.push(t("{n} object(s) on the shop's side of the front line", { n: d.behindLine }));
  if (d.dropped.lowScore) parts.push(t("{n} object(s) below the confidence threshold ignored", { n: d.dropped.lowScore }));
  if (d.dropped.smallBox) parts.push(t("{n} object(s) smaller than the minimum box ignored", { n: d.dropped.smallBox }));
  if (d.dropped.smallStatic) parts.push(t("{n} static object(s) too small for the zone ignored", { n: d.dropped.smallStatic }));
  return parts;
}

/**
 * A detection's name in the person's language: the model's class (the detector's COCO names have
 * Chinese in zh.ts), or, for a class the console does not know, what it means to the rules.
 */
export function detectionName(d: ZoneDetection, t: Translate, lang: string): string {
  const label = t(d.label);
  const known = lang !== "zh" || label !== d.label;
  return known && d.label !== d.role ? label : t(d.role);
}
