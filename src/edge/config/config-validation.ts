import type { z } from "zod";
import { edgeConfigSchema, type EdgeConfig } from "../../contracts/edge-config.ts";
import { assertTimeZone } from "../rules/arming-schedule.ts";

export function describeConfigProblems(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** What the schema cannot say: unique ids, known time zones. Models are checked by loading them. */
export function semanticConfigProblems(config: EdgeConfig): string[] {
  const problems: string[] = [];
  const cameraIds = new Set<string>();
  config.cameras.forEach((cam, ci) => {
    if (cameraIds.has(cam.id)) problems.push(`cameras.${ci}.id: duplicate camera id "${cam.id}"`);
    cameraIds.add(cam.id);
    const zoneIds = new Set<string>();
    cam.zones.forEach((zone, zi) => {
      if (zoneIds.has(zone.id)) problems.push(`cameras.${ci}.zones.${zi}.id: duplicate zone id "${zone.id}"`);
      zoneIds.add(zone.id);
      const ruleIds = new Set<string>();
      zone.rules.forEach((rule, ri) => {
        const at = `cameras.${ci}.zones.${zi}.rules.${ri}`;
        if (ruleIds.has(rule.id)) problems.push(`${at}.id: duplicate rule id "${rule.id}"`);
        ruleIds.add(rule.id);
        try {
          assertTimeZone(rule.timezone);
        } catch (err) {
          problems.push(`${at}.timezone: ${(err as Error).message}`);
        }
      });
    });
  });
  return problems;
}

export type ParsedConfig = { ok: true; config: EdgeConfig } | { ok: false; reason: string };

/** Schema + semantic checks of a config from any source (file or MQTT payload). */
export function parseEdgeConfig(raw: unknown): ParsedConfig {
  const r = edgeConfigSchema.safeParse(raw);
  if (!r.success) return { ok: false, reason: describeConfigProblems(r.error) };
  const problems = semanticConfigProblems(r.data);
  if (problems.length) return { ok: false, reason: problems.join("; ") };
  return { ok: true, config: r.data };
}
