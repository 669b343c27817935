import fs from "node:fs";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";

/** Content types whose bytes must also decode as an image. */
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/**
 * Does this file really hold what its declared content type says? The declared type is
 * what the file is later served as, so an HTML page declared as a JPEG must never get in:
 * the signature must match (file-type reads the magic numbers) and an image must decode
 * (sharp, failing on errors, shrunk while loading so a 1080p JPEG stays cheap). Returns
 * why not, or null when it does.
 */
export async function evidenceContentProblem(file: string, declaredType: string): Promise<string | null> {
  const { size } = await fs.promises.stat(file);
  if (size === 0) return "the file is empty";
  const head = Buffer.alloc(Math.min(size, 4100));
  const fd = await fs.promises.open(file, "r");
  try {
    await fd.read(head, 0, head.length, 0);
  } finally {
    await fd.close();
  }
  const detected = await fileTypeFromBuffer(head);
  if (!detected) return `the content is not ${declaredType} (no known file signature)`;
  if (detected.mime !== declaredType) return `the content is ${detected.mime}, not ${declaredType}`;
  if (IMAGE_TYPES.has(declaredType)) {
    try {
      await sharp(file, { failOn: "error" }).resize(64, 64, { fit: "inside" }).raw().toBuffer();
    } catch (err) {
      return `the ${declaredType} image does not decode (${String((err as Error).message).slice(0, 200)})`;
    }
  }
  return null;
}
