import sharp, { type OverlayOptions } from "sharp";

export interface NormalisedBox {
  /** [x1, y1, x2, y2] in 0..1 of the frame. */
  box: [number, number, number, number];
}

/**
 * Blurs the given boxes of an image beyond recognition (for the public case view: people
 * in the frame are not the party's to see). Boxes are grown by 10 % so edges of faces and
 * heads cut by a tight box are covered too. Returns JPEG.
 */
export async function blurRegions(image: Buffer, regions: NormalisedBox[]): Promise<Buffer> {
  const base = sharp(image).rotate();
  const { width = 0, height = 0 } = await base.metadata();
  if (!width || !height) throw new Error("image has no size");
  const overlays: OverlayOptions[] = [];
  for (const { box } of regions) {
    const { left, top, width: w, height: h } = pixelRect(box, width, height, 0.1);
    // Pixelate (shrink to a few blocks, enlarge) then blur: no detail survives either step.
    // (sharp applies one resize per pipeline, hence two pipelines.)
    const tiny = await sharp(image)
      .rotate()
      .extract({ left, top, width: w, height: h })
      .resize(Math.max(1, Math.round(w / 16)), Math.max(1, Math.round(h / 16)), { kernel: "nearest" })
      .toBuffer();
    const blocks = await sharp(tiny)
      .resize(w, h, { kernel: "nearest" })
      .blur(Math.max(4, Math.min(w, h) / 20))
      .toBuffer();
    overlays.push({ input: blocks, left, top });
  }
  return base.composite(overlays).jpeg({ quality: 85 }).toBuffer();
}

/**
 * The public copy of an evidence picture, privacy first: the whole picture is blurred (the
 * scene stays readable, no face or plate does), the evidence objects (`keep`: the goods,
 * furniture, stall the case is about) are put back sharp, and `hide` boxes (every person and
 * vehicle found) are pixelated on top, also where they overlap an evidence object. A
 * bystander the detector missed is therefore still blurred. Returns JPEG.
 */
export async function publicCopy(image: Buffer, keep: NormalisedBox[], hide: NormalisedBox[]): Promise<Buffer> {
  const base = sharp(image).rotate();
  const { width = 0, height = 0 } = await base.metadata();
  if (!width || !height) throw new Error("image has no size");
  const upright = await base.clone().toBuffer();
  const background = await sharp(upright)
    .blur(Math.max(6, Math.round(Math.max(width, height) / 120)))
    .jpeg({ quality: 92 })
    .toBuffer();
  const sharpParts: OverlayOptions[] = [];
  for (const { box } of keep) {
    const r = pixelRect(box, width, height, 0.05);
    sharpParts.push({ input: await sharp(upright).extract(r).toBuffer(), left: r.left, top: r.top });
  }
  const withEvidence = sharpParts.length ? await sharp(background).composite(sharpParts).jpeg({ quality: 92 }).toBuffer() : background;
  return blurRegions(withEvidence, hide);
}

function pixelRect(box: [number, number, number, number], width: number, height: number, pad: number) {
  const [x1, y1, x2, y2] = box;
  const padX = (x2 - x1) * pad;
  const padY = (y2 - y1) * pad;
  const left = clamp(Math.floor((x1 - padX) * width), 0, width - 1);
  const top = clamp(Math.floor((y1 - padY) * height), 0, height - 1);
  const right = clamp(Math.ceil((x2 + padX) * width), left + 1, width);
  const bottom = clamp(Math.ceil((y2 + padY) * height), top + 1, height);
  return { left, top, width: right - left, height: bottom - top };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
