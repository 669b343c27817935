// `npm run bench:zone-focus [-- --json] [-- --samples N]`: whole-frame vs zone-focused detection on a
// real 1080p frame with a kerb-strip zone: inferences per sample, milliseconds per sample (wall and
// CPU of this process, detector at 1 thread), and ffmpeg's CPU per frame for each output format.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { cameraConfigSchema } from "../src/contracts/edge-config.ts";
import { loadDetector, resolveManifestPath } from "../src/detector/detector.ts";
import { cropToModelInput } from "../src/detector/focused-detect.ts";
import { frameFormatFor } from "../src/detector/index.ts";
import { ZoneFocus } from "../src/edge/detect/zone-focus.ts";
import { fitFilters, type FrameFormat } from "../src/edge/ingest/ffmpeg-args.ts";
import { defaultTrackerOptions } from "../src/edge/track/object-tracker.ts";
import { ffmpegPath } from "../src/shared/ffmpeg-path.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const samplesArg = args.indexOf("--samples");
const samples = samplesArg >= 0 ? Number(args[samplesArg + 1]) : 40;
const round = (v: number) => Math.round(v * 100) / 100;

// A real street scene at 1080p: the Münster still with parked bicycles along the shop fronts, scaled up.
const still = path.join(repoRoot, "test/fixtures/streetcam/muenster-shot0001.jpg");
const png1080 = await sharp(still).resize(1920, 1080).png().toBuffer();
const original = { width: 1920, height: 1080 };
// The kerb strip in front of the shops (where bicycles and goods stand): 960×240 px of the 1080p frame.
const kerbStrip: [number, number][] = [
  [480 / 1920, 375 / 1080],
  [1440 / 1920, 375 / 1080],
  [1440 / 1920, 615 / 1080],
  [480 / 1920, 615 / 1080],
];

function benchCpuMs(stderr: string): number {
  const m = /utime=([\d.]+)s\s+stime=([\d.]+)s/.exec(stderr);
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : Number.NaN;
}

const modelsDir = path.join(repoRoot, "models");
const detector = await loadDetector(resolveManifestPath("nanodet", modelsDir), { modelsDir, threads: 1 });
const camera = cameraConfigSchema.parse({
  id: "bench",
  url: "bench",
  zones: [
    {
      id: "kerb",
      polygon: kerbStrip,
      rules: [
        {
          id: "r",
          kind: "shop_overflow",
          eventCode: { major: "05", minor: "02" },
          shopId: "s",
          frontLine: [
            [0, 0.3],
            [1, 0.3],
          ],
          streetSidePoint: [0.5, 0.9],
        },
      ],
    },
  ],
});
const focus = ZoneFocus.forCamera(camera, detector);
if (!focus) throw new Error("zone focus must be on for a camera with zones");

const modelFormat = frameFormatFor(detector.manifest);
const canvasFormat = focus.frameFormat();
// 2 s of 1080p H.264 (keyframe every 10 frames) made from the still: what a camera sends.
const clip1080 = path.join(mkdtempSync(path.join(os.tmpdir(), "curbwatch-bench-zone-")), "kerb-1080p.mp4");
await ffmpeg(
  ["-loglevel", "error", "-y", "-loop", "1", "-framerate", "10", "-i", "pipe:0", "-t", "2", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p", clip1080],
  png1080,
);
const [small, canvas] = [await ffmpegFrameFromClip(modelFormat), await ffmpegFrameFromClip(canvasFormat)];

/** The frame as ffmpeg hands it to the edge in this format (from a 1080p H.264 clip of the still), and ffmpeg's CPU per frame (`-benchmark`). */
async function ffmpegFrameFromClip(format: FrameFormat): Promise<{ data: Buffer; cpuMsPerFrame: number }> {
  const frames = 20;
  const { stdout, stderr } = await ffmpeg([
    "-benchmark",
    "-hide_banner",
    "-nostats",
    "-threads",
    "1",
    "-i",
    clip1080,
    "-frames:v",
    String(frames),
    "-filter_threads",
    "1",
    "-vf",
    fitFilters(format).join(","),
    "-pix_fmt",
    format.pixFmt,
    "-f",
    "rawvideo",
    "-",
  ]);
  return { data: stdout.subarray(0, format.width * format.height * 3), cpuMsPerFrame: benchCpuMs(stderr) / frames };
}

function ffmpeg(argv: string[], stdin?: Buffer): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpegPath(), argv);
    const out: Buffer[] = [];
    let err = "";
    p.stdout.on("data", (b: Buffer) => out.push(b));
    p.stderr.on("data", (b: Buffer) => (err += b.toString()));
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve({ stdout: Buffer.concat(out), stderr: err }) : reject(new Error(`ffmpeg failed: ${err.slice(-500)}`))));
    p.stdin.end(stdin);
  });
}

interface Measure {
  wallMs: number[];
  cpuMs: number[];
  inferences: number;
}

async function measure(fn: (i: number) => Promise<number>): Promise<Measure> {
  const m: Measure = { wallMs: [], cpuMs: [], inferences: 0 };
  for (let i = 0; i < 3; i++) await fn(-1 - i);
  for (let i = 0; i < samples; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    m.inferences += await fn(i);
    m.wallMs.push(performance.now() - t);
    const d = process.cpuUsage(c);
    m.cpuMs.push((d.user + d.system) / 1000);
  }
  return m;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const whole = await measure(async () => {
  await detector.detectFrame({ data: small.data, width: modelFormat.width, height: modelFormat.height, format: modelFormat.pixFmt }, original, {
    threshold: defaultTrackerOptions.lowScore,
  });
  return 1;
});
// One sample a second of camera time: the whole-frame pass comes round every fullFrameSeconds.
let tMs = 0;
const focused = await measure(async () => {
  tMs += 1000;
  const r = await focus.detect(
    { data: canvas.data, width: canvasFormat.width, height: canvasFormat.height, format: canvasFormat.pixFmt, original, tMs },
    defaultTrackerOptions.lowScore,
  );
  return r.inferences;
});
const plans = focus.plansFor(original, canvasFormat);
// Stage split: cutting and resizing one tile out of the 1080p working frame (sharp).
const cropMs: number[] = [];
for (let i = 0; i < samples; i++) {
  const tile = plans.zone.tiles[i % plans.zone.tiles.length];
  const t = performance.now();
  await cropToModelInput(
    { data: canvas.data, width: canvasFormat.width, height: canvasFormat.height, format: canvasFormat.pixFmt },
    tile.crop,
    tile.resized,
    detector.manifest.input,
  );
  cropMs.push(performance.now() - t);
}

const rows = [
  {
    mode: "whole-frame",
    inferencesPerSample: round(whole.inferences / samples),
    msPerSample: round(mean(whole.wallMs)),
    cpuMsPerSample: round(mean(whole.cpuMs)),
    ffmpegCpuMsPerFrame: round(small.cpuMsPerFrame),
    frame: `${modelFormat.width}x${modelFormat.height}`,
  },
  {
    mode: "zone-focused",
    inferencesPerSample: round(focused.inferences / samples),
    msPerSample: round(mean(focused.wallMs)),
    cpuMsPerSample: round(mean(focused.cpuMs)),
    ffmpegCpuMsPerFrame: round(canvas.cpuMsPerFrame),
    frame: `${canvasFormat.width}x${canvasFormat.height}`,
    tiles: plans.zone.tiles.length,
    tilesOnContextSample: plans.withContext?.tiles.length ?? 0,
    pxPerModelPx: round(plans.zone.scale),
    wholeFramePxPerModelPx: round(Math.max(1920 / modelFormat.width, 1080 / modelFormat.height)),
    budget: focus.budget,
    cropMsPerTile: round(mean(cropMs)),
  },
];
if (json) for (const r of rows) console.log(JSON.stringify({ ...r, samples }));
else {
  console.log(
    `1080p Münster frame, kerb strip 960×240 px, NanoDet at 1 thread, ${samples} samples at 1 fps (whole-frame pass every ${camera.zoneFocus.fullFrameSeconds} s); means in ms`,
  );
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(13)} inferences/sample ${r.inferencesPerSample}  ms/sample ${r.msPerSample} (CPU ${r.cpuMsPerSample})  ffmpeg CPU/frame ${r.ffmpegCpuMsPerFrame} (${r.frame})` +
        ("tiles" in r
          ? `  tiles ${r.tiles} (+whole frame: ${r.tilesOnContextSample})  frame px per model px ${r.pxPerModelPx} vs ${r.wholeFramePxPerModelPx} whole-frame  crop+resize per tile ${r.cropMsPerTile}`
          : ""),
    );
  }
}
await detector.session.release();
