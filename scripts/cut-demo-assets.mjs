// Developers only: cuts the demo stall's objects out of a COCO photo along their segmentation
// polygons and writes them as small RGBA PNGs to assets/demo/ (committed; `npm install` only
// composites them, see scripts/make-demo-clip.mjs). Run: node scripts/cut-demo-assets.mjs
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const coco = JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/coco/instances.json"), "utf8"));

/** COCO annotation id → asset name and the width it is stored at (a parasol, a table with things on it, a pot of flowers). */
const assets = [
  { annotation: 282688, name: "parasol", width: 120 },
  { annotation: 1612964, name: "table", width: 110 },
  { annotation: 1605647, name: "flowers", width: 40 },
];

for (const { annotation, name, width } of assets) {
  const ann = coco.annotations.find((a) => a.id === annotation);
  const img = coco.images.find((i) => i.id === ann.image_id);
  const polys = ann.segmentation.map((p) => `<polygon points="${p.join(" ")}" fill="white"/>`).join("");
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${img.width}" height="${img.height}">${polys}</svg>`);
  const mask = await sharp(svg).extractChannel(0).raw().toBuffer();
  const rgb = await sharp(path.join(root, "test/fixtures/coco/images", img.file_name))
    .removeAlpha()
    .raw()
    .toBuffer();
  const rgba = Buffer.alloc(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    rgba[i * 4] = rgb[i * 3];
    rgba[i * 4 + 1] = rgb[i * 3 + 1];
    rgba[i * 4 + 2] = rgb[i * 3 + 2];
    rgba[i * 4 + 3] = mask[i];
  }
  const [bx, by, bw, bh] = ann.bbox.map(Math.round);
  const out = path.join(root, "assets/demo", `${name}.png`);
  await sharp(rgba, { raw: { width: img.width, height: img.height, channels: 4 } })
    .extract({ left: bx, top: by, width: Math.min(bw, img.width - bx), height: Math.min(bh, img.height - by) })
    .resize({ width })
    .png({ compressionLevel: 9 })
    .toFile(out);
  console.log(`${path.relative(root, out)} ← COCO annotation ${annotation} (${img.file_name})`);
}
