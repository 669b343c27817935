import { readFile } from "node:fs/promises";
import sharp from "sharp";
import type { Box } from "../../src/contracts/roles.ts";
import { testdata } from "../support/paths.ts";

interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: number[][] | object;
  bbox: [number, number, number, number];
}
interface CocoFile {
  images: { id: number; file_name: string }[];
  annotations: CocoAnnotation[];
  categories: { id: number; name: string }[];
}

export interface Placement {
  /** COCO annotation id of the object to cut out. */
  annotation: number;
  /** Top-left corner in the target image, and the width the object is scaled to. */
  x: number;
  y: number;
  width: number;
}

export interface Composite {
  image: Buffer;
  truth: { label: string; box: Box }[];
}

/**
 * Real objects cut out of COCO photos along their segmentation polygons, scaled and pasted
 * into a real street still: objects of known class at known places (the truth is where they
 * were pasted).
 */
export async function compositeCocoObjects(target: string, placements: readonly Placement[]): Promise<Composite> {
  const coco = JSON.parse(await readFile(testdata("coco/instances.json"), "utf8")) as CocoFile;
  const layers: NonNullable<Parameters<ReturnType<typeof sharp>["composite"]>[0]> = [];
  const truth: Composite["truth"] = [];
  for (const p of placements) {
    const ann = coco.annotations.find((a) => a.id === p.annotation);
    if (!ann || !Array.isArray(ann.segmentation)) throw new Error(`COCO annotation ${p.annotation} has no polygon`);
    const file = coco.images.find((i) => i.id === ann.image_id)!.file_name;
    const label = coco.categories.find((c) => c.id === ann.category_id)!.name;
    const [bx, by, bw, bh] = ann.bbox.map(Math.round);
    const polygons = (ann.segmentation as number[][])
      .map((poly) => {
        const pts: string[] = [];
        for (let i = 0; i < poly.length; i += 2) pts.push(`${poly[i] - bx},${poly[i + 1] - by}`);
        return `<polygon points="${pts.join(" ")}" fill="#fff"/>`;
      })
      .join("");
    const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${bw}" height="${bh}">${polygons}</svg>`);
    const cut = await sharp(testdata("coco/images", file))
      .extract({ left: bx, top: by, width: bw, height: bh })
      .ensureAlpha()
      .composite([{ input: mask, blend: "dest-in" }])
      .png()
      .toBuffer();
    const height = Math.round((bh * p.width) / bw);
    layers.push({ input: await sharp(cut).resize(p.width, height).png().toBuffer(), left: p.x, top: p.y });
    truth.push({ label, box: [p.x, p.y, p.x + p.width, p.y + height] });
  }
  const image = await sharp(target).composite(layers).jpeg({ quality: 92 }).toBuffer();
  return { image, truth };
}
