import sharp, { type OverlayOptions } from "sharp";
import type { TrackedObject } from "../../contracts/candidate.ts";
import type { Zone } from "../../contracts/edge-config.ts";
import type { StaticMaskSnapshot } from "../rules/situation.ts";

const roleColour: Record<string, string> = {
  person: "#ff3b30",
  vending_gear: "#ffcc00",
  goods: "#34c759",
  furniture: "#5ac8fa",
  vehicle: "#af52de",
  static_object: "#ff2d95",
  other: "#ffffff",
};

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);

/**
 * The operator's copy of a snapshot: zone outline, shop front line, every object of the
 * situation boxed and labelled, and the zone's static-object cells tinted. The plain snapshot is kept beside it, untouched, as the record.
 */
export async function annotateSnapshot(
  jpeg: Buffer,
  zone: Zone,
  objects: TrackedObject[],
  frontLine?: [number, number][],
  staticMask?: StaticMaskSnapshot,
): Promise<Buffer> {
  const meta = await sharp(jpeg).metadata();
  const w = meta.width ?? 1;
  const h = meta.height ?? 1;
  const stroke = Math.max(2, Math.round(w / 400));
  const font = Math.max(12, Math.round(w / 60));
  const pts = (p: [number, number][]) => p.map(([x, y]) => `${(x * w).toFixed(1)},${(y * h).toFixed(1)}`).join(" ");
  const parts = [
    `<polygon points="${pts(zone.polygon as [number, number][])}" fill="rgba(0,122,255,0.12)" stroke="#007aff" stroke-width="${stroke}"/>`,
    ...(frontLine ? [`<polyline points="${pts(frontLine)}" fill="none" stroke="#ff9500" stroke-width="${stroke * 2}" stroke-dasharray="${stroke * 4}"/>`] : []),
    ...objects.map((o) => {
      const [x1, y1, x2, y2] = o.box;
      const c = roleColour[o.role] ?? "#ffffff";
      const label = esc(`${o.label} #${o.trackId} ${o.score.toFixed(2)}`);
      return (
        `<rect x="${x1 * w}" y="${y1 * h}" width="${(x2 - x1) * w}" height="${(y2 - y1) * h}" fill="none" stroke="${c}" stroke-width="${stroke}"/>` +
        `<text x="${x1 * w}" y="${Math.max(font, y1 * h - 3)}" font-family="sans-serif" font-size="${font}" fill="${c}" stroke="#000" stroke-width="0.6">${label}</text>`
      );
    }),
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join("")}</svg>`;
  const layers: OverlayOptions[] = [];
  const mask = staticMask ? await maskLayer(staticMask, w, h) : null;
  if (mask) layers.push(mask);
  layers.push({ input: Buffer.from(svg), top: 0, left: 0 });
  return sharp(jpeg).composite(layers).jpeg({ quality: 88 }).toBuffer();
}

/** The static-object cells as a translucent layer over their region, so a person sees what "stands here" meant. */
async function maskLayer(m: StaticMaskSnapshot, w: number, h: number): Promise<OverlayOptions | null> {
  const left = Math.max(0, Math.round(m.region[0] * w));
  const top = Math.max(0, Math.round(m.region[1] * h));
  const width = Math.min(w - left, Math.round((m.region[2] - m.region[0]) * w));
  const height = Math.min(h - top, Math.round((m.region[3] - m.region[1]) * h));
  if (width < 1 || height < 1) return null;
  const rgba = Buffer.alloc(m.width * m.height * 4);
  for (let i = 0; i < m.cells.length; i++) if (m.cells[i]) rgba.set([255, 45, 149, 110], i * 4);
  const input = await sharp(rgba, { raw: { width: m.width, height: m.height, channels: 4 } })
    .resize(width, height, { kernel: "nearest", fit: "fill" })
    .png()
    .toBuffer();
  return { input, top, left };
}
