import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { cocoAspect, cocoCutout, pasteCutout, type Cutout } from "./coco-composite.ts";

/** A COCO object (cut along its polygon) that is in the picture from `from` to `to` seconds. */
export interface PlacedObject {
  annotation: number;
  /** Width in frame pixels; the height follows the COCO box's aspect unless given. */
  width: number;
  height?: number;
  x: number;
  y: number;
  from: number;
  to?: number;
  /** Slides in from (and out to) this x over `slideSeconds` instead of appearing (a vehicle driving up). */
  slideFromX?: number;
  slideSeconds?: number;
  /** Cast-shadow darkening factor (1 = no shadow). */
  shadow?: number;
}

/** A COCO person walking back and forth between x0 and x1 on row y (people passing in front). */
export interface Walker {
  annotation: number;
  height: number;
  y: number;
  x0: number;
  x1: number;
  from: number;
  to: number;
  /** Seconds for one crossing. */
  crossSeconds: number;
}

/** A soft dark patch (cloud or tree shadow) drifting back and forth. */
export interface MovingShadow {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** Brightness factor at its centre. */
  gain: number;
  /** Amplitude (px) and period (s) of its horizontal sway. */
  sway: number;
  periodSeconds: number;
}

/**
 * A straight-edged cast shadow (of an awning, a building, a truck parked out of view): every
 * pixel below the line y = y0 + slope·x is darkened to `gain`, with a soft edge `soft` px
 * wide. It falls at `from` seconds and stays; `creepPxPerSecond` moves its edge up (as the sun
 * moves) from then on.
 */
export interface CastShadow {
  y0: number;
  slope: number;
  gain: number;
  soft: number;
  from: number;
  creepPxPerSecond?: number;
}

export interface SceneRecipe {
  source: { video: string; loops?: number } | { still: string };
  width: number;
  height: number;
  fps: number;
  seconds: number;
  objects?: PlacedObject[];
  walkers?: Walker[];
  shadows?: MovingShadow[];
  castShadows?: CastShadow[];
  /** Scene brightness over time: [second, gain] points, linearly interpolated (lighting change). */
  lighting?: [number, number][];
}

const GENERATOR_VERSION = 1;

function gainAt(points: [number, number][], t: number): number {
  if (t <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [t1, g1] = points[i];
    const [t0, g0] = points[i - 1];
    if (t <= t1) return g0 + ((g1 - g0) * (t - t0)) / (t1 - t0);
  }
  return points[points.length - 1][1];
}

function applyGain(frame: Buffer, gain: number): void {
  if (gain === 1) return;
  for (let i = 0; i < frame.length; i++) frame[i] = Math.min(255, Math.round(frame[i] * gain));
}

function applyShadow(frame: Buffer, w: number, h: number, s: MovingShadow, t: number): void {
  const cx = s.cx + s.sway * Math.sin((2 * Math.PI * t) / s.periodSeconds);
  for (let y = Math.max(0, Math.floor(s.cy - s.ry)); y < Math.min(h, Math.ceil(s.cy + s.ry)); y++) {
    for (let x = Math.max(0, Math.floor(cx - s.rx)); x < Math.min(w, Math.ceil(cx + s.rx)); x++) {
      const d = Math.hypot((x - cx) / s.rx, (y - s.cy) / s.ry);
      if (d >= 1) continue;
      // Penumbra: full strength inside 60 % of the radius, fading to nothing at the rim.
      const k = d < 0.6 ? 1 : 1 - (d - 0.6) / 0.4;
      const g = 1 - (1 - s.gain) * k;
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) frame[i + c] = Math.round(frame[i + c] * g);
    }
  }
}

/** Darkens `frame` below the shadow's edge as it stands at `t` seconds (nothing before it falls). */
export function applyCastShadow(frame: Buffer, w: number, s: CastShadow, t: number): void {
  if (t < s.from) return;
  const h = frame.length / 3 / w;
  const y0 = s.y0 - (s.creepPxPerSecond ?? 0) * (t - s.from);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const depth = (y - (y0 + s.slope * x)) / s.soft;
      if (depth <= -0.5) continue;
      const g = 1 - (1 - s.gain) * Math.min(1, depth + 0.5);
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) frame[i + c] = Math.round(frame[i + c] * g);
    }
  }
}

function objectX(o: PlacedObject, t: number): number | undefined {
  if (t < o.from || (o.to !== undefined && t >= o.to)) return undefined;
  if (o.slideFromX === undefined) return o.x;
  const slide = o.slideSeconds ?? 4;
  const inFrac = Math.min(1, (t - o.from) / slide);
  const outFrac = o.to === undefined ? 0 : Math.max(0, 1 - (o.to - t) / slide);
  const f = Math.min(inFrac, 1 - outFrac);
  return Math.round(o.slideFromX + (o.x - o.slideFromX) * f);
}

function walkerX(wk: Walker, t: number): number | undefined {
  if (t < wk.from || t >= wk.to) return undefined;
  const phase = ((t - wk.from) / wk.crossSeconds) % 2;
  const f = phase < 1 ? phase : 2 - phase;
  return Math.round(wk.x0 + (wk.x1 - wk.x0) * f);
}

/** Raw RGB frames of the source at the recipe's size and rate (ffmpeg for clips, sharp for stills). */
async function* sourceFrames(r: SceneRecipe): AsyncGenerator<Buffer> {
  const size = r.width * r.height * 3;
  const total = Math.round(r.seconds * r.fps);
  if ("still" in r.source) {
    const still = await sharp(r.source.still).resize(r.width, r.height, { fit: "fill" }).removeAlpha().raw().toBuffer();
    for (let k = 0; k < total; k++) yield Buffer.from(still);
    return;
  }
  const args = [
    "-v",
    "error",
    "-stream_loop",
    String(r.source.loops ?? 0),
    "-i",
    r.source.video,
    "-vf",
    `fps=${r.fps},scale=${r.width}:${r.height}`,
    "-frames:v",
    String(total),
    "-f",
    "rawvideo",
    "-pix_fmt",
    "rgb24",
    "-",
  ];
  const dec = spawn(ffmpegPath(), args, { stdio: ["ignore", "pipe", "inherit"] });
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of dec.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= size) {
      yield Buffer.from(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
  }
}

export function recipeHash(r: SceneRecipe): string {
  return createHash("sha256").update(JSON.stringify({ GENERATOR_VERSION, r })).digest("hex").slice(0, 16);
}

/**
 * Renders a scene video: the real clip or still, real COCO objects pasted in along their
 * segmentation masks, people walking in front, shadows and lighting; H.264 at the recipe's rate.
 * Single-threaded x264, so the same recipe gives the same file. Skips work when `out` already
 * holds this recipe's render.
 */
export async function composeScene(r: SceneRecipe, out: string): Promise<{ cached: boolean }> {
  const stamp = `${out}.recipe`;
  const hash = recipeHash(r);
  try {
    if ((await fs.readFile(stamp, "utf8")) === hash) {
      await fs.access(out);
      return { cached: true };
    }
  } catch {
    // not rendered yet
  }
  await fs.mkdir(path.dirname(out), { recursive: true });
  const cut = new Map<string, Cutout>();
  const cutout = async (annotation: number, width: number, height?: number) => {
    const h = height ?? Math.max(1, Math.round(width * cocoAspect(annotation)));
    const key = `${annotation}:${width}:${h}`;
    let c = cut.get(key);
    if (!c) cut.set(key, (c = await cocoCutout(annotation, width, h)));
    return c;
  };
  const tmp = `${out}.part.mp4`;
  const enc = spawn(
    ffmpegPath(),
    [
      "-v",
      "error",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-s",
      `${r.width}x${r.height}`,
      "-r",
      String(r.fps),
      "-i",
      "-",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-crf",
      "18",
      "-threads",
      "1",
      "-pix_fmt",
      "yuv420p",
      "-y",
      tmp,
    ],
    { stdio: ["pipe", "ignore", "inherit"] },
  );
  const done = new Promise<void>((resolve, reject) => {
    enc.on("error", reject);
    enc.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg encoder exited with ${code} for ${out}`))));
  });
  let k = 0;
  for await (const frame of sourceFrames(r)) {
    const t = k / r.fps;
    for (const s of r.shadows ?? []) applyShadow(frame, r.width, r.height, s, t);
    for (const o of r.objects ?? []) {
      const x = objectX(o, t);
      if (x !== undefined) pasteCutout(frame, r.width, await cutout(o.annotation, o.width, o.height), x, o.y, o.shadow ?? 1);
    }
    for (const wk of r.walkers ?? []) {
      const x = walkerX(wk, t);
      if (x === undefined) continue;
      const c = await cutout(wk.annotation, Math.max(1, Math.round(wk.height / cocoAspect(wk.annotation))), wk.height);
      pasteCutout(frame, r.width, c, x, wk.y, 1);
    }
    for (const s of r.castShadows ?? []) applyCastShadow(frame, r.width, s, t);
    if (r.lighting) applyGain(frame, gainAt(r.lighting, t));
    if (!enc.stdin.write(frame)) await new Promise((res) => enc.stdin.once("drain", res));
    k++;
  }
  enc.stdin.end();
  await done;
  if (k < Math.round(r.seconds * r.fps) * 0.95) throw new Error(`scene source gave ${k} frames, expected ${Math.round(r.seconds * r.fps)} (${out})`);
  await fs.rename(tmp, out);
  await fs.writeFile(stamp, hash);
  return { cached: false };
}
