import sharp from "sharp";

export class ImageReadError extends Error {
  override name = "ImageReadError";
}

/** Ultralytics pads letterboxed inputs with grey 114. */
export const LETTERBOX_GREY = { r: 114, g: 114, b: 114, alpha: 1 };

export interface ScaledImage {
  /** Interleaved RGB bytes at exactly width×height of the model input. */
  pixels: Buffer;
  /** The image's own size after EXIF orientation, which boxes are reported in. */
  original: { width: number; height: number };
}

/**
 * JPEG/PNG/… → RGB at the model's input size, fitted as ffmpeg fits edge frames: stretched, or
 * letterboxed top-left (aspect kept, grey padding) for models whose manifest asks for it.
 * sharp shrinks JPEGs while decoding, so a 1080p frame never exists at full size here.
 */
export async function decodeScaled(image: Buffer | string, width: number, height: number, resize: "stretch" | "letterbox" = "stretch"): Promise<ScaledImage> {
  const label = typeof image === "string" ? image : `buffer of ${image.length} bytes`;
  try {
    const img = sharp(image, { autoOrient: true, failOn: "error" });
    const meta = await img.metadata();
    const fit = resize === "letterbox" ? { fit: "contain" as const, position: "left top", background: LETTERBOX_GREY } : { fit: "fill" as const };
    const pixels = await img
      .removeAlpha()
      .toColourspace("srgb")
      .resize(width, height, { ...fit, kernel: "linear" })
      .removeAlpha()
      .raw()
      .toBuffer();
    return { pixels, original: { width: meta.autoOrient.width, height: meta.autoOrient.height } };
  } catch (err) {
    throw new ImageReadError(`cannot read image ${label}: ${(err as Error).message}`);
  }
}
