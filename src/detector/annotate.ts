import sharp from "sharp";
import type { Detection, ObjectRole } from "../contracts/roles.ts";
import { ImageReadError } from "./image.ts";

const roleColour: Record<ObjectRole, string> = {
  person: "#ff3b30",
  vending_gear: "#ff9500",
  goods: "#ffcc00",
  furniture: "#34c759",
  vehicle: "#0a84ff",
  static_object: "#ff2d55",
  other: "#af52de",
};

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Draws boxes and "label score" tags over the image (SVG overlay, coloured by role) and writes it. */
export async function writeAnnotated(image: Buffer | string, detections: Detection[], outPath: string): Promise<void> {
  let img: ReturnType<typeof sharp>;
  let width: number;
  let height: number;
  try {
    img = sharp(image, { autoOrient: true });
    const meta = await img.metadata();
    ({ width, height } = meta.autoOrient);
  } catch (err) {
    throw new ImageReadError(`cannot read image ${typeof image === "string" ? image : "buffer"}: ${(err as Error).message}`);
  }
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 300));
  const font = Math.max(12, Math.round(Math.min(width, height) / 40));
  const shapes = detections.map((d) => {
    const [x1, y1, x2, y2] = d.box;
    const colour = roleColour[d.role];
    const text = `${escapeXml(d.label)} ${d.score.toFixed(2)}`;
    const ty = y1 > font + 4 ? y1 - 4 : y2 + font;
    return (
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>` +
      `<text x="${x1}" y="${ty}" font-family="sans-serif" font-size="${font}" fill="${colour}" stroke="black" stroke-width="0.6">${text}</text>`
    );
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join("")}</svg>`;
  await img.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).toFile(outPath);
}
