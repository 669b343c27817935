import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.ts";
import { spawnCurbwatch } from "../support/process.ts";

const run = promisify(execFile);

interface CandidateLine {
  candidateId: string;
  phase: string;
  rule: string;
  zone: string;
  boxes: { role: string; box: number[] }[];
}

describe("demo camera clip", () => {
  it("is made from vtest.avi by the install-time script, and replay with the demo config raises street vending with gear", { timeout: 120_000 }, async () => {
    // The clip as `npm install` makes it (here into a scratch folder, so the test checks the script as it is now).
    const clip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cw-demo-clip-")), "demo-vending.mp4");
    await run(process.execPath, [path.join(repoRoot, "scripts/make-demo-clip.mjs"), "--out", clip], { cwd: repoRoot });
    expect(fs.statSync(clip).size).toBeGreaterThan(100_000);

    const p = spawnCurbwatch(["replay", clip, "--config", "streams/demo-plaza.edge.yaml", "--json"], {
      cwd: repoRoot,
      env: { LOG_LEVEL: "warn", DETECTOR_THREADS: "1" },
    });
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
    const lines: CandidateLine[] = p
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{") && l.includes('"candidateId"'))
      .map((l) => JSON.parse(l) as CandidateLine);
    const starts = lines.filter((l) => l.phase === "start");
    expect(starts.length, p.output().slice(-2000)).toBeGreaterThanOrEqual(1);
    for (const s of starts) {
      expect(s.rule).toBe("street_vending");
      // minGear 1: every candidate has a person and gear; the stall is gear as a static object.
      expect(s.boxes.some((b) => b.role === "person")).toBe(true);
      expect(s.boxes.some((b) => b.role !== "person")).toBe(true);
    }
    // The gear is the stall where the script put it (x 392..522, y 206..288 of 768×576).
    const stall = starts.flatMap((s) => s.boxes).find((b) => b.role === "static_object");
    expect(stall, JSON.stringify(starts)).toBeDefined();
    const [x1, y1, x2, y2] = stall!.box;
    const truth = [392 / 768, 206 / 576, 522 / 768, 288 / 576];
    const inter = Math.max(0, Math.min(x2, truth[2]) - Math.max(x1, truth[0])) * Math.max(0, Math.min(y2, truth[3]) - Math.max(y1, truth[1]));
    const union = (x2 - x1) * (y2 - y1) + (truth[2] - truth[0]) * (truth[3] - truth[1]) - inter;
    expect(inter / union).toBeGreaterThanOrEqual(0.5);
  });
});
