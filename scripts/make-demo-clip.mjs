// Makes the demo camera's clip at install time: OpenCV's vtest.avi (a real plaza with people
// walking and standing) with a real flower stall composited onto the plaza's centre path: a
// parasol, a table and a pot of flowers, cut out of a COCO photo along their segmentation
// polygons (assets/demo/, see assets/README.md). The stall is pushed in at 20 s, stays for
// most of a minute (longer than the demo rule's dwell), and is pushed away at the end, while
// the clip's own people walk and stand around it. Only sharp and ffmpeg; deterministic
// (fixed layout and timeline, single-threaded encoder); a few seconds on one core.
// Exit code 0 when the clip is there; anything else means the demo falls back to vtest.avi.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const source = path.join(root, ".vendor", "vtest.avi");
export const target = path.join(root, ".vendor", "demo-vending.mp4");
const assetDir = path.join(root, "assets", "demo");

const WIDTH = 768;
const HEIGHT = 576;
const FPS = 10;
/** Where the stall stands (top-left of its layer, source pixels) and when (seconds). */
const STALL = { x: 392, y: 206, arriveFrom: 20, arriveTo: 24, leaveFrom: 77, leaveTo: 79.5, pushDistance: 300 };
/**
 * The lamp post and its sign stand nearer the camera than the stall (their foot is lower in the
 * picture), so whatever the frame shows there (the post, or someone walking past it) stays in front.
 */
const IN_FRONT = [
  { x: 414, y: 203, w: 32, h: 41 },
  { x: 427, y: 190, w: 9, h: 210 },
];

/** The system's ffmpeg when there is one, else the static build shipped in @ffmpeg-installer/ffmpeg (as src/shared/ffmpeg-path.ts). */
function ffmpegPath() {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  try {
    execFileSync("ffmpeg", ["-hide_banner", "-version"], { stdio: "ignore" });
    return "ffmpeg";
  } catch {
    return createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg").path;
  }
}

/** The stall as one RGBA layer: a soft contact shadow, the table with the flowers on it, the parasol above. */
async function stallLayer() {
  const w = 130;
  const h = 82;
  const shadow = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><ellipse cx="${w / 2 + 4}" cy="${h - 6}" rx="${w / 2 - 6}" ry="7" fill="black" fill-opacity="0.35"/></svg>`,
  );
  const rgba = await sharp({ create: { width: w, height: h, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      { input: shadow, left: 0, top: 0 },
      { input: path.join(assetDir, "table.png"), left: 10, top: h - 36 },
      { input: path.join(assetDir, "flowers.png"), left: 78, top: h - 74 },
      { input: path.join(assetDir, "parasol.png"), left: 2, top: 0 },
    ])
    .raw()
    .toBuffer();
  return { width: w, height: h, rgba };
}

/** Horizontal offset of the stall at time t (pushed in from the right, pushed out to the right), or null when it is not in view. */
function stallOffset(t) {
  const { arriveFrom, arriveTo, leaveFrom, leaveTo, pushDistance } = STALL;
  if (t < arriveFrom || t >= leaveTo) return null;
  if (t < arriveTo) return Math.round(pushDistance * (1 - (t - arriveFrom) / (arriveTo - arriveFrom)));
  if (t < leaveFrom) return 0;
  return Math.round((pushDistance * (t - leaveFrom)) / (leaveTo - leaveFrom));
}

function blend(frame, layer, x0, y0) {
  for (let y = 0; y < layer.height; y++) {
    const fy = y0 + y;
    if (fy < 0 || fy >= HEIGHT) continue;
    for (let x = 0; x < layer.width; x++) {
      const fx = x0 + x;
      if (fx < 0 || fx >= WIDTH) continue;
      const j = (y * layer.width + x) * 4;
      const a = layer.rgba[j + 3];
      if (a === 0) continue;
      const i = (fy * WIDTH + fx) * 3;
      for (let c = 0; c < 3; c++) frame[i + c] = Math.round((frame[i + c] * (255 - a) + layer.rgba[j + c] * a) / 255);
    }
  }
}

function copyRect(frame, r) {
  const out = Buffer.alloc(r.w * r.h * 3);
  for (let y = 0; y < r.h; y++) frame.copy(out, y * r.w * 3, ((r.y + y) * WIDTH + r.x) * 3, ((r.y + y) * WIDTH + r.x + r.w) * 3);
  return out;
}

function pasteRect(frame, r, pixels) {
  for (let y = 0; y < r.h; y++) pixels.copy(frame, ((r.y + y) * WIDTH + r.x) * 3, y * r.w * 3, (y + 1) * r.w * 3);
}

export async function makeDemoClip(from = source, to = target) {
  const layer = await stallLayer();
  const ffmpeg = ffmpegPath();
  const tmp = `${to}.${process.pid}.tmp.mp4`;
  const decoder = spawn(ffmpeg, ["-v", "error", "-i", from, "-vf", `fps=${FPS},scale=${WIDTH}:${HEIGHT}`, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const encoder = spawn(
    ffmpeg,
    [
      "-v",
      "error",
      "-y",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-s",
      `${WIDTH}x${HEIGHT}`,
      "-r",
      String(FPS),
      "-i",
      "-",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-crf",
      "20",
      "-g",
      String(FPS * 2),
      "-threads",
      "1",
      "-pix_fmt",
      "yuv420p",
      "-movflags",
      "+faststart",
      tmp,
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  const errors = [];
  decoder.stderr.on("data", (d) => errors.push(String(d)));
  encoder.stderr.on("data", (d) => errors.push(String(d)));
  const exited = (child) => new Promise((resolve) => child.on("close", (code) => resolve(code)));
  const decoded = exited(decoder);
  const encoded = exited(encoder);

  const frameBytes = WIDTH * HEIGHT * 3;
  let pending = Buffer.alloc(0);
  let index = 0;
  for await (const chunk of decoder.stdout) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= frameBytes) {
      const frame = Buffer.from(pending.subarray(0, frameBytes));
      pending = pending.subarray(frameBytes);
      const dx = stallOffset(index / FPS);
      if (dx !== null) {
        const front = IN_FRONT.map((r) => copyRect(frame, r));
        blend(frame, layer, STALL.x + dx, STALL.y);
        IN_FRONT.forEach((r, k) => pasteRect(frame, r, front[k]));
      }
      index++;
      if (!encoder.stdin.write(frame)) await new Promise((resolve) => encoder.stdin.once("drain", resolve));
    }
  }
  encoder.stdin.end();
  const [dec, enc] = await Promise.all([decoded, encoded]);
  if (dec !== 0 || enc !== 0 || index === 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`ffmpeg failed (decode ${dec}, encode ${enc}, ${index} frames): ${errors.join(" ").trim().split("\n")[0]}`);
  }
  fs.renameSync(tmp, to);
  return { frames: index };
}

/** The clip is up to date when it is newer than this script and every asset it composites. */
function isFresh(clip) {
  if (!fs.existsSync(clip)) return false;
  const made = fs.statSync(clip).mtimeMs;
  const inputs = [fileURLToPath(import.meta.url), source, ...fs.readdirSync(assetDir).map((f) => path.join(assetDir, f))];
  return inputs.every((f) => fs.statSync(f).mtimeMs <= made);
}

// `node scripts/make-demo-clip.mjs [--out FILE] [--force]`: an up-to-date clip is left alone.
const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? path.resolve(args[outAt + 1]) : target;
  if (!fs.existsSync(source)) {
    console.warn(`[curbwatch] demo stall clip not made: ${path.relative(root, source)} is missing; the demo camera will have no clip`);
    process.exit(1);
  }
  if (!args.includes("--force") && isFresh(out)) process.exit(0);
  const started = Date.now();
  try {
    const { frames } = await makeDemoClip(source, out);
    console.log(
      `[curbwatch] demo clip ready: ${path.relative(root, out)} (${frames} frames, vtest.avi with a composited flower stall, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  } catch (err) {
    console.warn(`[curbwatch] demo stall clip not made (${String(err?.message ?? err).split("\n")[0]}); the demo camera falls back to plain vtest.avi`);
    process.exit(1);
  }
}
