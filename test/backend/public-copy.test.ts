import fs from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { publicCopy } from "../../src/backend/services/bystander-blur.ts";
import { testdata } from "../support/paths.ts";

/** Mean absolute difference of horizontally neighbouring grey pixels in a rectangle (0..1 coordinates): detail. */
async function detail(jpeg: Buffer, [x1, y1, x2, y2]: number[]): Promise<number> {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  const [l, t, r, b] = [x1 * info.width, y1 * info.height, x2 * info.width, y2 * info.height].map(Math.round);
  let sum = 0;
  let n = 0;
  for (let y = t; y < b; y++)
    for (let x = l; x < r - 1; x++) {
      sum += Math.abs(data[y * info.width + x] - data[y * info.width + x + 1]);
      n++;
    }
  return sum / n;
}

describe("public copy of an evidence picture", () => {
  // A real street-camera still: people standing at the shop front, bicycles, the cobbles.
  const photo = fs.readFileSync(testdata("streetcam/muenster-shot0001.jpg"));
  const goods: [number, number, number, number] = [0.45, 0.6, 0.6, 0.8];
  const elsewhere: [number, number, number, number] = [0.05, 0.1, 0.35, 0.45];
  const bystander: [number, number, number, number] = [0.5, 0.62, 0.55, 0.78];

  it("keeps the evidence object sharp and blurs everything else, whatever the detector found", async () => {
    const out = await publicCopy(photo, [{ box: goods }], []);
    expect(await detail(out, goods)).toBeGreaterThan(0.8 * (await detail(photo, goods)));
    // A region with nobody detected in it (a bystander the detector missed would be here) is blurred too.
    expect(await detail(out, elsewhere)).toBeLessThan(0.35 * (await detail(photo, elsewhere)));
  });

  it("pixelates a person standing on the evidence object", async () => {
    const out = await publicCopy(photo, [{ box: goods }], [{ box: bystander }]);
    expect(await detail(out, bystander)).toBeLessThan(0.35 * (await detail(photo, bystander)));
    // The rest of the evidence object stays sharp.
    const besideBystander: [number, number, number, number] = [0.45, 0.6, 0.49, 0.8];
    expect(await detail(out, besideBystander)).toBeGreaterThan(0.8 * (await detail(photo, besideBystander)));
  });
});
