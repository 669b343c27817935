import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseDetectors } from "../../src/detector/index.ts";
import { readEdgeConfigFile } from "../../src/edge/config/edge-config-file.ts";
import { replayVideo } from "../../src/edge/replay/replay-video.ts";
import type { SituationEvent } from "../../src/edge/rules/situation.ts";
import { edgeConfigSchema, type EdgeConfigInput } from "../../src/contracts/edge-config.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { repoRoot, testdata, vtestClip } from "../support/paths.ts";

/**
 * The rules on tracks from real detections: the real NanoDet ONNX model over real footage,
 * replayed frame by frame (no drops) through the same pipeline the live edge runs.
 */
const log = createLogger("test", "silent");
const modelsDir = path.join(repoRoot, "models");
const vtest = vtestClip;
const MONDAY_9_SHANGHAI = Date.UTC(2026, 10, 16, 1, 0);

async function replay(video: string, config: EdgeConfigInput, startAtMs = MONDAY_9_SHANGHAI): Promise<SituationEvent[]> {
  const events: SituationEvent[] = [];
  await replayVideo({ video, config: edgeConfigSchema.parse(config), modelsDir, threads: 1, startAtMs, log, onEvent: (e) => events.push(e) });
  return events;
}

const byId = (evs: SituationEvent[]) => {
  const m = new Map<string, string[]>();
  for (const e of evs) m.set(e.situation.candidateId, [...(m.get(e.situation.candidateId) ?? []), e.phase]);
  return m;
};

afterAll(() => releaseDetectors());

describe("rules on real detections (vtest.avi, NanoDet)", () => {
  const example = readEdgeConfigFile(path.join(repoRoot, "streams/vtest.edge.yaml"));

  // One replay, three zones on the same polygon: the example rule, a dwell nobody reaches, and a
  // weekend-only schedule replayed on a Monday morning — the rules judge each on the same tracks.
  let events: SituationEvent[] = [];
  const inZone = (id: string) => events.filter((e) => e.situation.zone.id === id);
  beforeAll(async () => {
    const cfg = structuredClone(example);
    const zone = cfg.cameras[0].zones[0];
    cfg.cameras[0].zones.push(
      { ...structuredClone(zone), id: "long-dwell", rules: [{ ...structuredClone(zone.rules[0]), dwellSeconds: 60 }] },
      {
        ...structuredClone(zone),
        id: "weekends",
        rules: [{ ...structuredClone(zone.rules[0]), schedule: [{ days: ["sat", "sun"], from: "00:00", to: "24:00" }] }],
      },
    );
    events = await replay(vtest, cfg);
  });

  it("the example config finds people standing by the lamp post, each situation one id with start…end", () => {
    const situations = byId(inZone("plaza-centre"));
    expect(situations.size, "vtest has groups standing in the plaza-centre zone").toBeGreaterThanOrEqual(1);
    for (const [id, phases] of situations) {
      expect(phases[0], `${id} begins with start`).toBe("start");
      expect(phases.at(-1), `${id} finishes with end`).toBe("end");
      expect(
        phases.filter((p) => p === "start"),
        `${id} starts once`,
      ).toHaveLength(1);
    }
    const first = inZone("plaza-centre")[0].situation;
    expect(first.objects.every((o) => o.role === "person" && o.score >= 0.4)).toBe(true);
    // Dwell: the start comes at least the dwell (10 s) after the stay began.
    expect(first.videoEndSec - first.videoStartSec).toBeGreaterThanOrEqual(10 - 0.01);
  });

  it("a dwell longer than anyone stands raises nothing", () => {
    expect(inZone("long-dwell")).toEqual([]);
  });

  it("outside the arming schedule nothing is raised", () => {
    expect(inZone("weekends")).toEqual([]);
  });

  it("the car park clip (no vending) raises no street vending: a passer-by has no stall", async () => {
    const events = await replay(testdata("clips/carpark-intel.mp4"), {
      cameras: [
        {
          id: "carpark",
          url: "x",
          sampling: { mode: "fps", fps: 2 },
          zones: [
            {
              id: "all",
              polygon: [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
              rules: [{ id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" }, dwellSeconds: 5, minPersons: 1, minGear: 1 }],
            },
          ],
        },
      ],
    });
    expect(events).toEqual([]);
  });
});
