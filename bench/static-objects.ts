// `npm run bench:static [-- --json]`: CPU milliseconds per sample of the static-object detector,
// per zone, on real footage (the OpenCV plaza clip) decoded at 1080p and at the detector's input.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { ZoneStaticDetector } from "../src/edge/static/zone-static-detector.ts";
import { ffmpegPath } from "../src/shared/ffmpeg-path.ts";

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const json = process.argv.includes("--json");
const SAMPLES = 80;
/** The model learns the empty pavement for its first 20 s (a running mean over every cell); after that it runs in steady state. */
const WARMUP_SAMPLES = 25;

async function frames(width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await run(
    ffmpegPath(),
    [
      "-v",
      "error",
      "-i",
      path.join(repoRoot, ".vendor/vtest.avi"),
      "-vf",
      `fps=1,scale=${width}:${height}`,
      "-frames:v",
      String(SAMPLES),
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-",
    ],
    { encoding: "buffer", maxBuffer: 1 << 30 },
  );
  const size = width * height * 3;
  const out: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) out.push(stdout.subarray(o, o + size));
  return out;
}

const zones: Record<string, [number, number][]> = {
  whole_frame: [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ],
  kerb_strip: [
    [0, 0.7],
    [1, 0.7],
    [1, 0.9],
    [0, 0.9],
  ],
};

const results: Record<string, number | string>[] = [];
for (const [w, h] of [
  [1920, 1080],
  [416, 416],
] as const) {
  const fs = await frames(w, h);
  for (const [name, poly] of Object.entries(zones)) {
    const det = new ZoneStaticDetector(poly.map(([x, y]) => [x * 1920, y * 1080] as const));
    const cpu: number[] = [];
    fs.forEach((data, k) => {
      const c0 = process.cpuUsage();
      det.update({ data, width: w, height: h, original: { width: 1920, height: 1080 } }, k * 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    });
    const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[xs.length >> 1] * 100) / 100;
    results.push({
      source: `${w}x${h}`,
      zone: name,
      grid: `${det.gridW}x${det.gridH}`,
      cpuMsPerSampleMedian: median(cpu.slice(WARMUP_SAMPLES)),
      warmupCpuMsPerSampleMedian: median(cpu.slice(2, WARMUP_SAMPLES)),
    });
  }
}
for (const r of results)
  console.log(
    json
      ? JSON.stringify(r)
      : `${r.source} ${r.zone} grid ${r.grid}: ${r.cpuMsPerSampleMedian} ms CPU per sample (median, steady state; first 20 s learning the pavement: ${r.warmupCpuMsPerSampleMedian} ms)`,
  );
