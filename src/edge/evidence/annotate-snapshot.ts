import sharp from "sharp";
import type { TrackedObject } from "../../contracts/candidate.ts";
import type { Zone } from "../../contracts/edge-config.ts";

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
 * The operator's copy of a snapshot: zone outline, shop front line and every object of the
 * situation boxed and labelled. The plain snapshot is kept beside it, untouched, as the record.
 */
export async function annotateSnapshot(jpeg: Buffer, zone: Zone, objects: TrackedObject[], frontLine?: [number, number][]): Promise<Buffer> {
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
  return sharp(jpeg)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .jpeg({ quality: 88 })
    .toBuffer();
}
