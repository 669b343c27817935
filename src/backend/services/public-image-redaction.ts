import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { bundledModelsDir, getDetector, type Detector } from "../../detector/index.ts";
import { DomainError } from "../domain/errors.ts";
import { blurRegions, publicCopy, type NormalisedBox } from "./bystander-blur.ts";

/** Labels whose boxes are blurred on a public copy: people, and vehicles (their licence plates). */
const privateLabels = new Set(["person", "car", "truck", "bus", "motorcycle"]);
/** Low on purpose: blurring a shadow costs little, missing a face is what must not happen. */
const DETECT_THRESHOLD = 0.25;

/**
 * Makes the public copy of an evidence image: everything but the evidence objects is blurred,
 * and every person and vehicle the detector finds on the picture itself (plus the boxes the
 * edge already knew) is pixelated, on the evidence objects too. Without a working detector
 * nothing is served (never an unblurred image).
 */
export class PublicImageRedactor {
  private detector: Promise<Detector> | null = null;

  constructor(
    private readonly modelsDir: string,
    private readonly model = "nanodet",
  ) {}

  private load(): Promise<Detector> {
    const dir = fs.existsSync(path.join(path.resolve(this.modelsDir), `${this.model}.json`)) ? path.resolve(this.modelsDir) : bundledModelsDir();
    this.detector ??= getDetector(this.model, { modelsDir: dir, threads: 1 }).catch((err: unknown) => {
      this.detector = null;
      throw err;
    });
    return this.detector;
  }

  /** Boxes (0..1) of every person and vehicle the detector finds in the image. */
  async privateRegions(image: Buffer, size: { width: number; height: number }): Promise<NormalisedBox[]> {
    let detector: Detector;
    try {
      detector = await this.load();
    } catch {
      throw new DomainError("unavailable", "the public image cannot be prepared now (no detector to find the people in it)").withCode(
        "public_image_unavailable",
      );
    }
    // The whole frame, then 3×3 overlapping tiles at higher scale: people far from the camera
    // are a few pixels tall at the detector's input size and only the tiles find them.
    const boxes: NormalisedBox[] = [];
    const keep = (found: { label: string; box: number[] }[], left: number, top: number) => {
      for (const d of found)
        if (privateLabels.has(d.label))
          boxes.push({ box: [(left + d.box[0]) / size.width, (top + d.box[1]) / size.height, (left + d.box[2]) / size.width, (top + d.box[3]) / size.height] });
    };
    keep(await detector.detectImage(image, { threshold: DETECT_THRESHOLD }), 0, 0);
    const tw = Math.floor(size.width / 2);
    const th = Math.floor(size.height / 2);
    for (const fy of [0, 0.5, 1])
      for (const fx of [0, 0.5, 1]) {
        const left = Math.round(fx * (size.width - tw));
        const top = Math.round(fy * (size.height - th));
        const tile = await sharp(image).rotate().extract({ left, top, width: tw, height: th }).jpeg({ quality: 92 }).toBuffer();
        keep(await detector.detectImage(tile, { threshold: DETECT_THRESHOLD }), left, top);
      }
    return boxes;
  }

  /**
   * `evidence`: the boxes of what the case is about (shown sharp); `people`: person and vehicle
   * boxes the edge already knew (pixelated with every one the detector finds here).
   */
  async redact(image: Buffer, evidence: NormalisedBox[], people: NormalisedBox[], size: { width: number; height: number }): Promise<Buffer> {
    const copy = await publicCopy(image, evidence, [...people, ...(await this.privateRegions(image, size))]);
    // What is served is checked too: with the scene blurred around it, a person standing on an
    // evidence object can become findable only now.
    const stillFound = await this.privateRegions(copy, size);
    return stillFound.length ? blurRegions(copy, stillFound) : copy;
  }
}
