import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { edgeConfigSchema, type EdgeConfig } from "../../src/contracts/edge-config.ts";
import { grabSnapshot } from "../../src/backend/services/camera-snapshot.ts";
import { referenceFromSnapshot } from "../../src/backend/services/zone-reference.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { spawnCurbwatch } from "../support/process.ts";

const run = promisify(execFile);
const W = 768;
const H = 576;
const SECONDS = 40;
/** The zone: a stretch of the plaza's lower left, empty in vtest's first frame. */
const polygon: [number, number][] = [
  [0.1, 0.55],
  [0.4, 0.55],
  [0.4, 0.8],
  [0.1, 0.8],
];
/** Where the object stands from the very first frame (pixels). */
const OBJECT = { x: 150, y: 380, width: 60, height: 72 };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-zone-ref-"));
const clip = path.join(dir, "object-from-start.mp4");

/** vtest.avi's first 40 s with a real pot of flowers (cut out along its COCO polygon) standing in the zone from frame 1. */
async function makeClip(): Promise<void> {
  const cut = await sharp(path.join(repoRoot, "assets/demo/flowers.png")).resize(OBJECT.width, OBJECT.height, { fit: "fill" }).png().toBuffer();
  const frameBytes = W * H * 3;
  const decode = await run(ffmpegPath(), ["-v", "error", "-t", String(SECONDS), "-i", vtestClip, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
    encoding: "buffer",
    maxBuffer: 1 << 30,
  });
  const encoder = spawn(
    ffmpegPath(),
    [
      "-v",
      "error",
      "-y",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-s",
      `${W}x${H}`,
      "-r",
      "10",
      "-i",
      "-",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
      clip,
    ],
    { stdio: ["pipe", "ignore", "inherit"] },
  );
  const done = new Promise<number | null>((resolve) => encoder.on("close", resolve));
  for (let o = 0; o + frameBytes <= decode.stdout.length; o += frameBytes) {
    const frame = await sharp(decode.stdout.subarray(o, o + frameBytes), { raw: { width: W, height: H, channels: 3 } })
      .composite([{ input: cut, left: OBJECT.x, top: OBJECT.y }])
      .removeAlpha()
      .raw()
      .toBuffer();
    if (!encoder.stdin.write(frame)) await new Promise((resolve) => encoder.stdin.once("drain", resolve));
  }
  encoder.stdin.end();
  expect(await done).toBe(0);
}

function edgeConfig(reference: EdgeConfig["cameras"][number]["zones"][number]["reference"]): EdgeConfig {
  // Parsed as the edge parses the config message it receives.
  return edgeConfigSchema.parse(
    JSON.parse(
      JSON.stringify({
        schema: "curbwatch.edge-config/v1",
        revision: 1,
        cameras: [
          {
            id: "ref-cam",
            url: clip,
            sampling: { mode: "fps", fps: 2 },
            zones: [
              {
                id: "lower-left",
                polygon,
                ...(reference ? { reference } : {}),
                // An unattended stall: the object itself must stay for the dwell time.
                rules: [
                  {
                    id: "stall",
                    kind: "street_vending",
                    eventCode: { major: "05", minor: "01" },
                    dwellSeconds: 10,
                    minPersons: 0,
                    minGear: 1,
                    gearRoles: ["static_object"],
                    minScore: 0.4,
                    minMedianScore: 0.45,
                    cooldownSeconds: 300,
                    endAfterSeconds: 8,
                  },
                ],
              },
            ],
          },
        ],
      }),
    ),
  );
}

async function replay(config: EdgeConfig): Promise<{ phase: string; boxes: { role: string; box: number[] }[] }[]> {
  const file = path.join(dir, `config-${config.cameras[0].zones[0].reference ? "ref" : "plain"}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const p = spawnCurbwatch(["replay", clip, "--config", file, "--json"], { cwd: repoRoot, env: { LOG_LEVEL: "warn", DETECTOR_THREADS: "1" } });
  expect(await p.exited, p.output().slice(-2000)).toBe(0);
  return p
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{") && l.includes('"candidateId"'))
    .map((l) => JSON.parse(l));
}

function overlapsObject(box: number[]): boolean {
  const [x1, y1, x2, y2] = [box[0] * W, box[1] * H, box[2] * W, box[3] * H];
  return Math.min(x2, OBJECT.x + OBJECT.width) > Math.max(x1, OBJECT.x) && Math.min(y2, OBJECT.y + OBJECT.height) > Math.max(y1, OBJECT.y);
}

beforeAll(makeClip, 120_000);

describe("clear-pavement reference through the edge config", () => {
  it(
    "with the zone's reference (from a snapshot of the clear pavement) the edge raises an object that stood there from the first frame; without it, it is not claimed",
    { timeout: 120_000 },
    async () => {
      // The back end's own capture: a snapshot of the camera without the object (vtest.avi's first frame).
      const snapshot = await grabSnapshot(vtestClip);
      const reference = await referenceFromSnapshot(snapshot, polygon, { version: 1, capturedAt: new Date("2026-12-01T02:00:00Z") });
      expect(reference.gray.length, "the reference travels inside the config message: a few KB").toBeLessThan(40_000);

      const withReference = await replay(edgeConfig(reference));
      const raised = withReference.filter((l) => l.phase === "start");
      expect(raised.length, JSON.stringify(withReference)).toBeGreaterThanOrEqual(1);
      expect(raised[0].boxes.some((b) => b.role === "static_object" && overlapsObject(b.box))).toBe(true);

      const without = await replay(edgeConfig(undefined));
      expect(without.flatMap((l) => l.boxes).filter((b) => b.role === "static_object" && overlapsObject(b.box))).toEqual([]);
    },
  );
});
