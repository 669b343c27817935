import sharp from "sharp";

export class ImageReadError extends Error {
  override name = "ImageReadError";
}

export interface ScaledImage {
  /** Interleaved RGB bytes at exactly width×height of the model input. */
  pixels: Buffer;
  /** The image's own size after EXIF orientation, which boxes are reported in. */
  original: { width: number; height: number };
}

/**
 * JPEG/PNG/… → RGB at the model's input size, stretched like ffmpeg scales edge frames.
 * sharp shrinks JPEGs while decoding, so a 1080p frame never exists at full size here.
 */
export async function decodeScaled(image: Buffer | string, width: number, height: number): Promise<ScaledImage> {
  const label = typeof image === "string" ? image : `buffer of ${image.length} bytes`;
  try {
    const img = sharp(image, { autoOrient: true, failOn: "error" });
    const meta = await img.metadata();
    const pixels = await img.removeAlpha().toColourspace("srgb").resize(width, height, { fit: "fill", kernel: "linear" }).raw().toBuffer();
    return { pixels, original: { width: meta.autoOrient.width, height: meta.autoOrient.height } };
  } catch (err) {
    throw new ImageReadError(`cannot read image ${label}: ${(err as Error).message}`);
  }
}
