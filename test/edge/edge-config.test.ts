import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEdgeConfig } from "../../src/edge/config/config-validation.ts";
import { diffCameras } from "../../src/edge/config/camera-diff.ts";
import { EDGE_CONFIG_SCHEMA_FILE, edgeConfigJsonSchemaText } from "../../src/edge/config/edge-config-json-schema.ts";
import { readEdgeConfigFile } from "../../src/edge/config/edge-config-file.ts";
import { repoRoot } from "../support/paths.ts";

// The tests write deliberately invalid values into a parsed config, so it is untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MalformedConfig = any;
const base = () => readEdgeConfigFile(path.join(repoRoot, "streams/vtest.edge.yaml"));

describe("edge config", () => {
  it("the committed JSON Schema is generated from the current contract (run `npm run schema:edge`)", () => {
    expect(fs.readFileSync(path.join(repoRoot, EDGE_CONFIG_SCHEMA_FILE), "utf8")).toBe(edgeConfigJsonSchemaText());
  });

  it("rejects a polygon without area, naming where", () => {
    const raw = structuredClone(base()) as MalformedConfig;
    raw.cameras[0].zones[0].polygon = [
      [0.1, 0.1],
      [0.2, 0.2],
      [0.3, 0.3],
    ];
    const r = parseEdgeConfig(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/cameras\.0\.zones\.0\.polygon: polygon has no area/);
  });

  it("rejects a misspelt key instead of silently applying the default", () => {
    const raw = structuredClone(base()) as MalformedConfig;
    raw.cameras[0].zones[0].rules[0].dwelSeconds = 5;
    const r = parseEdgeConfig(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/cameras\.0\.zones\.0\.rules\.0.*dwelSeconds/);
  });

  it("rejects a schedule range that runs backwards and an unknown time zone", () => {
    const raw = structuredClone(base()) as MalformedConfig;
    raw.cameras[0].zones[0].rules[0].schedule = [{ days: ["mon"], from: "22:00", to: "06:00" }];
    expect(parseEdgeConfig(raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/schedule.*from < to/) });
    const tz = structuredClone(base()) as MalformedConfig;
    tz.cameras[0].zones[0].rules[0].timezone = "Mars/Olympus";
    expect(parseEdgeConfig(tz)).toMatchObject({ ok: false, reason: expect.stringMatching(/timezone: unknown time zone "Mars\/Olympus"/) });
  });

  it("a zone change is applied in place; a stream change restarts only that camera", () => {
    const a = base();
    const two = { ...a, cameras: [a.cameras[0], { ...structuredClone(a.cameras[0]), id: "other" }] };
    const rezoned = structuredClone(two);
    rezoned.cameras[0].zones[0].rules[0].dwellSeconds = 20;
    expect(diffCameras(two, rezoned)).toMatchObject({ added: [], removed: [], restarted: [], rezoned: [{ id: "demo-plaza" }] });
    const resampled = structuredClone(two);
    resampled.cameras[1].sampling = { mode: "keyframes" };
    expect(diffCameras(two, resampled)).toMatchObject({ added: [], removed: [], rezoned: [], restarted: [{ id: "other" }] });
  });

  it("zone focus: a moved zone is applied in place; losing the last zone or changing zoneFocus restarts the stream (another frame format)", () => {
    const a = base();
    const moved = structuredClone(a);
    moved.cameras[0].zones[0].polygon = [
      [0.1, 0.5],
      [0.9, 0.5],
      [0.9, 0.9],
      [0.1, 0.9],
    ];
    expect(diffCameras(a, moved)).toMatchObject({ restarted: [], rezoned: [{ id: "demo-plaza" }] });
    const noZones = structuredClone(a);
    noZones.cameras[0].zones = [];
    expect(diffCameras(a, noZones)).toMatchObject({ rezoned: [], restarted: [{ id: "demo-plaza" }] });
    const budget = structuredClone(a);
    budget.cameras[0].zoneFocus.maxInferencesPerSample = 1;
    expect(diffCameras(a, budget)).toMatchObject({ rezoned: [], restarted: [{ id: "demo-plaza" }] });
  });
});
