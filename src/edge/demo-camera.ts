import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { CurbWatchConfig } from "../config/schema.ts";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Where the demo clip comes from, first match wins. */
export function demoClipCandidates(config: CurbWatchConfig): string[] {
  return [
    config.demo.clip,
    path.join(projectRoot, ".vendor/vtest.avi"),
  ].filter((p): p is string => Boolean(p));
}

export function findDemoClip(config: CurbWatchConfig): string | null {
  return demoClipCandidates(config).find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Writes the demo camera's edge config (streams/vtest.edge.yaml with the clip looped)
 * into the data dir and returns its path.
 */
export function writeDemoEdgeConfig(config: CurbWatchConfig, clip: string): string {
  const template = YAML.parse(fs.readFileSync(path.join(projectRoot, "streams/vtest.edge.yaml"), "utf8"));
  for (const cam of template.cameras ?? []) {
    cam.url = clip;
    cam.loop = true;
  }
  const out = path.join(config.dataDir, "demo-edge-config.json");
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(out, JSON.stringify(template, null, 2));
  return out;
}
