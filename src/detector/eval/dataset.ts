import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

type Box = [number, number, number, number];

export interface LabelledImage {
  file: string;
  width: number;
  height: number;
  /** Ground truth as class names with pixel boxes. */
  objects: { label: string; box: Box }[];
  /** COCO crowd regions: detections inside them are neither right nor wrong. */
  crowds: Box[];
}

/**
 * A YOLO-format folder: DIR/images/*.jpg|png, DIR/labels/<stem>.txt with
 * "class cx cy w h" normalised lines; class names from DIR/classes*.txt (else the model's),
 * crowd regions from DIR/instances.json when it is there.
 */
export async function readYoloDataset(dir: string, fallbackClasses: readonly string[]): Promise<{ images: LabelledImage[]; classes: string[] }> {
  const imagesDir = path.join(dir, "images");
  const labelsDir = path.join(dir, "labels");
  if (!existsSync(imagesDir) || !existsSync(labelsDir)) throw new Error(`${dir} must contain images/ and labels/ (YOLO format)`);
  const classFile = (await readdir(dir)).find((f) => /^classes.*\.txt$/.test(f));
  const classes = classFile
    ? (await readFile(path.join(dir, classFile), "utf8"))
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [...fallbackClasses];
  const crowdsByFile = await readCrowds(path.join(dir, "instances.json"));
  const files = (await readdir(imagesDir)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  const images: LabelledImage[] = [];
  for (const f of files) {
    const file = path.join(imagesDir, f);
    const meta = await sharp(file, { autoOrient: true }).metadata();
    const { width, height } = meta.autoOrient;
    const labelFile = path.join(labelsDir, f.replace(/\.[^.]+$/, ".txt"));
    const text = existsSync(labelFile) ? await readFile(labelFile, "utf8") : "";
    const objects = text
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/).map(Number))
      .filter((v) => v.length >= 5 && v.every(Number.isFinite))
      .map(([c, cx, cy, w, h]) => ({
        label: classes[c] ?? `class_${c}`,
        box: [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height] as Box,
      }));
    images.push({ file, width, height, objects, crowds: crowdsByFile.get(f) ?? [] });
  }
  return { images, classes };
}

async function readCrowds(instancesPath: string): Promise<Map<string, Box[]>> {
  const out = new Map<string, Box[]>();
  if (!existsSync(instancesPath)) return out;
  const coco = JSON.parse(await readFile(instancesPath, "utf8")) as {
    images: { id: number; file_name: string }[];
    annotations: { image_id: number; bbox: [number, number, number, number]; iscrowd?: number }[];
  };
  const names = new Map(coco.images.map((i) => [i.id, i.file_name]));
  for (const a of coco.annotations) {
    if (!a.iscrowd) continue;
    const name = names.get(a.image_id);
    if (!name) continue;
    const [x, y, w, h] = a.bbox;
    out.set(name, [...(out.get(name) ?? []), [x, y, x + w, y + h]]);
  }
  return out;
}
