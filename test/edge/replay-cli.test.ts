import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { spawnCurbwatch } from "../support/process.ts";

describe("curbwatch replay", () => {
  it("prints one JSON line per candidate event for vtest.avi with the example config", async () => {
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), "cw-replay-evidence-"));
    const p = spawnCurbwatch(
      ["replay", vtestClip, "--config", "streams/vtest.edge.yaml", "--json", "--start-at", "2026-11-16T09:00:00+08:00", "--evidence", evidence],
      {
        cwd: repoRoot,
        env: { LOG_LEVEL: "warn", DETECTOR_THREADS: "1" },
      },
    );
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
    const lines = p
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{") && l.includes('"candidateId"'))
      .map((l) => JSON.parse(l));
    expect(lines.length, p.output().slice(-2000)).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(["candidateId", "phase", "rule", "zone", "startSec", "endSec", "bestScore", "boxes"]));
      expect(l.rule).toBe("street_vending");
      expect(l.zone).toBe("plaza-centre");
      expect(l.endSec).toBeGreaterThanOrEqual(l.startSec);
    }
    const first = lines.filter((l) => l.candidateId === lines[0].candidateId);
    expect(first[0].phase).toBe("start");
    expect(first.at(-1).phase).toBe("end");
    expect(first[0].boxes[0].box).toHaveLength(4);
    // --evidence: one annotated snapshot per candidate, a real JPEG of the clip's size.
    const starts = lines.filter((l) => l.phase === "start");
    const files = fs.readdirSync(evidence).sort();
    expect(files).toHaveLength(starts.length);
    const meta = await sharp(path.join(evidence, files[0])).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 768, 576]);
  });

  it("fails at once with ffmpeg's reason when the file is not a video (no endless retries)", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cw-replay-")), "not-a-video.avi");
    fs.writeFileSync(bad, "this is not a video\n");
    const p = spawnCurbwatch(["replay", bad, "--config", "streams/vtest.edge.yaml", "--json"], { cwd: repoRoot, env: { LOG_LEVEL: "warn" } });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toMatch(/cannot replay .*not-a-video\.avi: .*Invalid data found when processing input/);
  });
});
