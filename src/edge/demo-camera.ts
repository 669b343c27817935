import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { CurbWatchConfig } from "../config/schema.ts";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The install-time clip with the composited stall (scripts/make-demo-clip.mjs). */
export const demoStallClip = path.join(projectRoot, ".vendor/demo-vending.mp4");
/** The plain plaza clip it is made from: the fallback when the composite could not be made. */
export const plainPlazaClip = path.join(projectRoot, ".vendor/vtest.avi");
/** The demo camera's zones and rules (street vending needs gear). */
export const demoEdgeConfigTemplate = path.join(projectRoot, "streams/demo-plaza.edge.yaml");

/** Where the demo clip comes from, first match wins. */
export function demoClipCandidates(config: CurbWatchConfig): string[] {
  return [config.demo.clip, demoStallClip, plainPlazaClip].filter((p): p is string => Boolean(p));
}

/** True when the demo runs on plain vtest.avi because the stall clip is missing (nothing there has gear). */
export function isPlainFallback(config: CurbWatchConfig, clip: string): boolean {
  return !config.demo.clip && clip === plainPlazaClip;
}

export function findDemoClip(config: CurbWatchConfig): string | null {
  return demoClipCandidates(config).find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Writes the demo camera's edge config (streams/demo-plaza.edge.yaml with the clip looped)
 * into the data dir and returns its path.
 */
export function writeDemoEdgeConfig(config: CurbWatchConfig, clip: string): string {
  const template = YAML.parse(fs.readFileSync(demoEdgeConfigTemplate, "utf8"));
  for (const cam of template.cameras ?? []) {
    cam.url = clip;
    cam.loop = true;
  }
  const out = path.join(config.dataDir, "demo-edge-config.json");
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(out, JSON.stringify(template, null, 2));
  return out;
}
