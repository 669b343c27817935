import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { bestIous, extractFrame, repoRoot, tempDir, vtestClip } from "./helpers.ts";

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, [path.join(repoRoot, "bin/curbwatch.js"), ...args], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: "warn" } });

describe("curbwatch detect", () => {
  it("prints one JSON object per detection and finds the people in a vtest.avi frame; --annotate writes the image", async () => {
    const dir = await tempDir("cli");
    const frame = await extractFrame(vtestClip, 0, path.join(dir, "vtest-0.png"));
    const out = path.join(dir, "annotated");
    const { stdout } = await cli("detect", frame, "--json", "--threshold", "0.5", "--annotate", out);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const l of lines) expect(Object.keys(l)).toEqual(["image", "label", "role", "score", "box"]);
    const people = lines.filter((l) => l.label === "person");
    const ious = bestIous(
      [
        [501, 157, 529, 233],
        [254, 220, 282, 307],
        [640, 241, 684, 320],
      ],
      people,
      "person",
    );
    expect(
      ious.every((v) => v >= 0.5),
      `best IoUs ${ious}`,
    ).toBe(true);
    const annotated = path.join(out, "vtest-0.png");
    expect(existsSync(annotated)).toBe(true);
    const meta = await sharp(annotated).metadata();
    expect([meta.width, meta.height]).toEqual([768, 576]);
  }, 60_000);
});
