import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { readSceneManifest } from "../../src/edge/scenes/scene-manifest.ts";
import { generateScenes } from "../../scripts/scenes/generate-scenes.ts";
import { repoRoot } from "../support/paths.ts";
import { spawnCurbwatch } from "../support/process.ts";

// A short subset of the scene benchmark (bench/scenes/manifest.yaml; the whole set runs in
// `npm run bench:scenes`): one composited violation scene, the real car park clip and a held
// Münster still, through the real CLI (ffmpeg, ONNX Runtime, static objects, tracker, rules).
const SUBSET = ["muenster-cafe-overflow", "carpark-plain", "muenster-still-busy"];

let work: string;
let manifestFile: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "cw-scenes-"));
  await generateScenes(work, new Set(SUBSET));
  const full = readSceneManifest(path.join(repoRoot, "bench/scenes/manifest.yaml"));
  const scenes = full.scenes
    .filter((s) => SUBSET.includes(s.id))
    .map((s) => (s.video?.includes(`${path.sep}.cache${path.sep}`) ? { ...s, video: path.join(work, `${s.id}.mp4`) } : s));
  expect(scenes.map((s) => s.id).sort()).toEqual([...SUBSET].sort());
  manifestFile = path.join(work, "subset.json");
  fs.writeFileSync(manifestFile, JSON.stringify({ schema: "curbwatch.scenes/v1", scenes }));
}, 120_000);

describe("curbwatch eval-scenes", () => {
  it(
    "judges a short subset of the scene set: the café furniture raises shop overflow in its window, the real clip and still raise nothing; evidence is written",
    { timeout: 180_000 },
    async () => {
      const evidence = path.join(work, "evidence");
      const p = spawnCurbwatch(["eval-scenes", manifestFile, "--json", "--evidence", evidence], {
        cwd: repoRoot,
        env: { LOG_LEVEL: "warn", DETECTOR_THREADS: "1" },
      });
      const code = await p.exited;
      const lines = p
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const byId = new Map(lines.filter((l) => typeof l.id === "string").map((l) => [l.id as string, l]));
      expect([...byId.keys()].sort(), p.output().slice(-2000)).toEqual([...SUBSET].sort());

      const cafe = byId.get("muenster-cafe-overflow") as {
        pass: boolean;
        candidates: { rule: string; raisedAtSec: number; evidence: string }[];
        timeToCandidateSec: number;
      };
      expect(cafe.pass, JSON.stringify(cafe)).toBe(true);
      const hit = cafe.candidates.find((c) => c.rule === "shop_overflow")!;
      expect(hit.raisedAtSec).toBeGreaterThanOrEqual(30);
      expect(hit.raisedAtSec).toBeLessThanOrEqual(75);
      expect(cafe.timeToCandidateSec).toBeCloseTo(hit.raisedAtSec - 30, 5);
      // The annotated snapshot is a real JPEG of the scene's frame size.
      const meta = await sharp(hit.evidence).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1280, 720]);

      for (const id of ["carpark-plain", "muenster-still-busy"]) {
        const r = byId.get(id) as { pass: boolean; candidates: unknown[]; samples: number };
        expect(r.candidates, id).toEqual([]);
        expect(r.pass).toBe(true);
        expect(r.samples).toBeGreaterThan(20);
      }
      expect(lines.at(-1)).toMatchObject({ scenes: 3, positives: 1, positivesHit: 1, negatives: 2, negativesClean: 2 });
      expect(code).toBe(0);
    },
  );

  it("rejects a manifest with a scene that has no expectation, naming the field", async () => {
    const bad = path.join(work, "bad.yaml");
    fs.writeFileSync(bad, "scenes:\n  - id: a\n    video: x.mp4\n    config: c.yaml\n");
    const p = spawnCurbwatch(["eval-scenes", bad], { cwd: repoRoot, env: { LOG_LEVEL: "warn" } });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toMatch(/invalid scene manifest .*bad\.yaml: scenes\.0\.expect/);
  });
});
