import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { canvasContentSize, fitFilters, type FrameFormat } from "../../src/edge/ingest/ffmpeg-args.ts";
import { zonesRegion } from "../../src/edge/detect/zone-focus.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";

const run = promisify(execFile);

/** A white source of the given size through the edge's canvas filters; returns where the white ends. */
async function whiteExtent(width: number, height: number, format: FrameFormat): Promise<{ width: number; height: number }> {
  const { stdout } = await run(
    ffmpegPath(),
    [
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      `color=c=white:s=${width}x${height}:d=0.1,format=rgb24`,
      "-vf",
      fitFilters(format).join(","),
      "-frames:v",
      "1",
      "-pix_fmt",
      "rgb24",
      "-f",
      "rawvideo",
      "-",
    ],
    { encoding: "buffer", maxBuffer: 64 << 20 },
  );
  expect(stdout.length).toBe(format.width * format.height * 3);
  const white = (x: number, y: number) => stdout[(y * format.width + x) * 3] > 128;
  let w = 0;
  while (w < format.width && white(w, 0)) w++;
  let h = 0;
  while (h < format.height && white(0, h)) h++;
  return { width: w, height: h };
}

describe("the working canvas of zone-focused detection", () => {
  const canvas: FrameFormat = { width: 1920, height: 1080, pixFmt: "rgb24", fit: "canvas" };

  it("places the picture top-left at the size canvasContentSize predicts (never upscaled, aspect kept)", { timeout: 60_000 }, async () => {
    for (const [w, h] of [
      [768, 576],
      [1000, 563],
      [2560, 1440],
      [3000, 2000],
      [1080, 1920],
    ]) {
      const predicted = canvasContentSize({ width: w, height: h }, canvas);
      expect(await whiteExtent(w, h, canvas), `${w}×${h}`).toEqual(predicted);
    }
    expect(canvasContentSize({ width: 768, height: 576 }, canvas)).toEqual({ width: 768, height: 576 });
    expect(canvasContentSize({ width: 3000, height: 2000 }, canvas)).toEqual({ width: 1620, height: 1080 });
  });

  it("letterboxes for models that ask for it: aspect kept, grey right/bottom", async () => {
    const { stdout } = await run(
      ffmpegPath(),
      [
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=c=white:s=1280x720:d=0.1",
        "-vf",
        fitFilters({ width: 64, height: 64, pixFmt: "rgb24", fit: "letterbox" }).join(","),
        "-frames:v",
        "1",
        "-pix_fmt",
        "rgb24",
        "-f",
        "rawvideo",
        "-",
      ],
      { encoding: "buffer" },
    );
    // 1280×720 → 64×36, then grey 114 below.
    expect(stdout[(35 * 64 + 10) * 3]).toBeGreaterThan(200);
    expect(stdout[(40 * 64 + 10) * 3]).toBe(114);
  });

  it("the region is the zones' bounding box with a margin, inside the frame", () => {
    const zone = (polygon: [number, number][]) => ({ id: "z", name: "", polygon, rules: [] as never[] });
    const frame = { width: 1920, height: 1080 };
    expect(
      zonesRegion(
        [
          zone([
            [0.25, 0.5],
            [0.75, 0.5],
            [0.75, 0.75],
          ]),
        ],
        frame,
        0,
      ),
    ).toEqual({ x: 480, y: 540, width: 960, height: 270 });
    // 10 % of 960 = 96 and of 270 = 27 on each side; the bottom zone's margin is cut by the frame.
    expect(
      zonesRegion(
        [
          zone([
            [0.25, 0.5],
            [0.75, 0.5],
            [0.75, 0.75],
          ]),
          zone([
            [0.5, 0.9],
            [0.6, 0.9],
            [0.6, 1],
          ]),
        ],
        frame,
        0.1,
      ),
    ).toEqual({ x: 384, y: 486, width: 1152, height: 594 });
  });
});
