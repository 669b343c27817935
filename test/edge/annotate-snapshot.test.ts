import fs from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { annotateSnapshot } from "../../src/edge/evidence/annotate-snapshot.ts";
import type { Zone } from "../../src/contracts/edge-config.ts";
import { testdata } from "../support/paths.ts";

/** Pixels in the rectangle that the magenta static-object tint has pushed away from grey. */
async function tintedShare(jpeg: Buffer, rect: [number, number, number, number]): Promise<number> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  let tinted = 0;
  let n = 0;
  for (let y = rect[1]; y < rect[3]; y++) {
    for (let x = rect[0]; x < rect[2]; x++) {
      const i = (y * info.width + x) * info.channels;
      n++;
      if (data[i] - data[i + 1] > 50 && data[i + 2] - data[i + 1] > 15) tinted++;
    }
  }
  return tinted / n;
}

describe("annotated snapshot", () => {
  it("tints the zone's static-object cells, and only them, over a real photo", async () => {
    const jpeg = fs.readFileSync(testdata("streetcam/muenster-shot0005.jpg"));
    const { width = 0, height = 0 } = await sharp(jpeg).metadata();
    const zone = {
      id: "z",
      polygon: [
        [0.4, 0.6],
        [0.8, 0.6],
        [0.8, 1],
        [0.4, 1],
      ],
      rules: [],
    } as unknown as Zone;
    // A 10×5 grid over the zone's box; the left half of its top row is static.
    const cells = new Uint8Array(50);
    cells.fill(1, 0, 5);
    const annotated = await annotateSnapshot(jpeg, zone, [], undefined, { width: 10, height: 5, cells, region: [0.4, 0.6, 0.8, 1] });
    const cell = { w: (0.4 * width) / 10, h: (0.4 * height) / 5 };
    // Inside the static cells (a margin off their edges, away from the zone outline)…
    const inside: [number, number, number, number] = [
      Math.round(0.4 * width + cell.w * 0.5),
      Math.round(0.6 * height + cell.h * 0.3),
      Math.round(0.4 * width + cell.w * 4.5),
      Math.round(0.6 * height + cell.h * 0.7),
    ];
    // …and in the cells below them, which are not static.
    const below: [number, number, number, number] = [inside[0], Math.round(0.6 * height + cell.h * 2.3), inside[2], Math.round(0.6 * height + cell.h * 2.7)];
    expect(await tintedShare(annotated, inside)).toBeGreaterThan(0.9);
    expect(await tintedShare(annotated, below)).toBeLessThan(0.05);
    const plain = await annotateSnapshot(jpeg, zone, []);
    expect(await tintedShare(plain, inside)).toBeLessThan(0.05);
  });
});
