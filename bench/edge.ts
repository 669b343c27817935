/**
 * Edge benchmark: N real 1080p H.264 streams (25 fps, 2 s GOP, made once from vtest.avi)
 * served over RTSP/TCP, one `curbwatch edge` child process watching all of them.
 *
 *   npm run bench:edge -- --cameras 32 --mode keyframes [--seconds 30] [--max 64] [--no-search] [--json]
 *
 * Figures are for the edge process tree alone (the Node process and its ffmpeg children):
 * CPU per camera, samples/s per camera (from camera health), sample → candidate latency
 * (arrival of the sample that completed the dwell → candidate start received over MQTT),
 * memory (PSS of the tree, reported as rssMb). Then N is
 * searched upward (×1.5) while every camera keeps its configured rate; the largest such N
 * is `sustained`. With --json the last line is one JSON object.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mqtt from "mqtt";
import { cameraHealthSchema, candidateEventSchema, topics, type CameraHealth } from "../src/contracts/index.ts";
import { ffmpegPath } from "../src/shared/ffmpeg-path.ts";
import { PrivateMosquitto } from "../test/support/mosquitto.ts";
import { freePort } from "../test/support/process.ts";
import { RtspRelayServer } from "../test/support/rtsp-server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const mode = opt("mode", "keyframes") as "fps" | "keyframes";
const startCameras = Number(opt("cameras", mode === "keyframes" ? "32" : "8"));
const seconds = Number(opt("seconds", "30"));
const maxCameras = Number(opt("max", mode === "keyframes" ? "64" : "16"));
const search = !args.includes("--no-search");
const json = args.includes("--json");
const say = (...m: unknown[]) => {
  if (!json) console.log(...m);
};
if (mode !== "fps" && mode !== "keyframes") throw new Error("--mode fps|keyframes");

const GOP_SECONDS = 2;
const expectedRate = mode === "fps" ? 1 : 1 / GOP_SECONDS;
const clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** The 1080p source, encoded once and cached: real footage, upscaled, 25 fps, a keyframe every 2 s. */
function source1080p(): string {
  const out = path.join(os.tmpdir(), "curbwatch-bench-vtest-1080p25-gop50.mp4");
  if (fs.existsSync(out)) return out;
  const clip = path.join(root, ".vendor/vtest.avi");
  if (!fs.existsSync(clip)) throw new Error("vtest.avi not found in .vendor/ (npm install fetches it; see README: Demo camera)");
  say("encoding the 1080p source once (cached in", out, ")…");
  execFileSync(ffmpegPath(), [
    "-v", "error", "-y", "-i", clip, "-vf", "scale=1920:1080:flags=bicubic,fps=25",
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
    "-pix_fmt", "yuv420p", "-movflags", "+faststart", `${out}.tmp.mp4`,
  ]);
  fs.renameSync(`${out}.tmp.mp4`, out);
  return out;
}

/**
 * Proportional set size: shared libraries counted once across the tree, not once per ffmpeg
 * (plain RSS would count libavcodec 32 times for 32 cameras).
 */
function pssKb(pid: number): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ticks and memory (PSS) of a process and all its descendants (the edge and its ffmpeg children). */
/** CPU ticks the whole machine spent busy (all processes), from /proc/stat. */
function machineBusyTicks(): number {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return f.reduce((a, b) => a + b, 0) - f[3] - f[4]; // minus idle and iowait
}

function treeUsage(rootPid: number): { ticks: number; rootTicks: number; rssKb: number; pids: number } {
  const children = new Map<number, number[]>();
  const stats = new Map<number, string[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), f);
      const ppid = Number(f[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      /* exited */
    }
  }
  let ticks = 0;
  let rssKb = 0;
  let pids = 0;
  const root = stats.get(rootPid);
  const rootTicks = root ? Number(root[11]) + Number(root[12]) : 0;
  const walk = (pid: number) => {
    const f = stats.get(pid);
    if (!f) return;
    pids++;
    ticks += Number(f[11]) + Number(f[12]); // utime + stime
    rssKb += pssKb(pid) ?? (Number(f[21]) * 4096) / 1024;
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  return { ticks, rootTicks, rssKb, pids };
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

interface Trial {
  cameras: number;
  mode: string;
  cpuPerCamera: number;
  samplesPerSecPerCamera: number;
  minSamplesPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  candidates: number;
  rssMb: number;
  edgeCores: number;
  droppedPct: number;
  /** Cores used in the measured window: edge Node process, edge ffmpeg children, everything else. */
  breakdown: { edgeNodeCores: number; edgeFfmpegCores: number; restOfMachineCores: number };
  ok: boolean;
}

async function trial(n: number, source: string, brokerUrl: string): Promise<Trial> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-bench-edge-"));
  const rtsp = new RtspRelayServer(await freePort());
  await rtsp.start();
  const feeders: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    // Started a little apart so their keyframes (and the detector's work) do not all land at once.
    // (Not with -ss: a seeked, looped -c copy stream makes ffmpeg's -re pacing burst at each loop.)
    feeders.push(
      spawn(ffmpegPath(), ["-v", "error", "-re", "-stream_loop", "-1", "-i", source, "-an", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", rtsp.url(`cam${i}`)], { stdio: "ignore" }),
    );
    await new Promise((r) => setTimeout(r, (GOP_SECONDS * 1000) / n));
  }
  const deadline = Date.now() + 30_000;
  while (rtsp.publishing.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const edgeId = `bench-${process.pid}-${n}`;
  const cameraIds = Array.from({ length: n }, (_, i) => `bench${n}-cam${i}`);
  const config = {
    schema: "curbwatch.edge-config/v1",
    revision: 1,
    cameras: cameraIds.map((id, i) => ({
      id,
      url: rtsp.url(`cam${i}`),
      sampling: mode === "fps" ? { mode: "fps", fps: 1 } : { mode: "keyframes" },
      model: "nanodet",
      watchdog: { stallSeconds: 20, backoffInitialSeconds: 1, backoffMaxSeconds: 10 },
      zones: [
        {
          id: "plaza",
          polygon: [[0.02, 0.2], [0.98, 0.2], [0.98, 0.98], [0.02, 0.98]],
          // Cooldown as a deployment would have it (not 0): evidence is cut per candidate, and a
          // plaza where someone always stands would otherwise measure evidence, not watching.
          rules: [{ id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" }, dwellSeconds: 4, minGear: 0, stationaryTolerance: 0.35, endAfterSeconds: 3, cooldownSeconds: 20 }],
        },
      ],
    })),
  };
  fs.writeFileSync(path.join(dir, "edge.json"), JSON.stringify(config));

  const sub = await mqtt.connectAsync(brokerUrl, { clientId: `bench-sub-${process.pid}-${n}` });
  const health = new Map<string, { at: number; sampled: number; detected: number; dropped: number }[]>();
  const latencies: number[] = [];
  const lastHealth = new Map<string, CameraHealth>();
  let measuring = false;
  sub.on("message", (topic, payload) => {
    if (!payload.length) return;
    const now = Date.now();
    const body = JSON.parse(payload.toString());
    if (topic.endsWith("/health")) {
      const h = cameraHealthSchema.parse(body);
      lastHealth.set(h.cameraId, h);
      if (measuring) health.set(h.cameraId, [...(health.get(h.cameraId) ?? []), { at: now, sampled: h.sampledPerSec, detected: h.detectedPerSec, dropped: h.droppedFrames }]);
    } else {
      const c = candidateEventSchema.parse(body);
      // A start's lastSeenAt is the time of the sample that completed the dwell on the camera's timeline.
      // Every start counts, warm-up included: starts are few, and each is a full sample → candidate trip.
      if (c.phase === "start") latencies.push(now - Date.parse(c.lastSeenAt));
    }
  });
  await sub.subscribeAsync(cameraIds.flatMap((id) => [topics.cameraHealth(id), topics.cameraCandidate(id)]), { qos: 1 });

  const edge = spawn(process.execPath, [path.join(root, "bin/curbwatch.js"), "edge"], {
    env: {
      ...process.env,
      CURBWATCH_DATA_DIR: path.join(dir, "data"),
      EDGE_ID: edgeId,
      EDGE_CONFIG_FILE: path.join(dir, "edge.json"),
      MQTT_URL: brokerUrl,
      BACKEND_URL: "http://127.0.0.1:9",
      MODELS_DIR: path.join(root, "models"),
      DETECTOR_THREADS: process.env.DETECTOR_THREADS ?? "2",
      DEMO_ENABLED: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // Warm-up: model load, RTSP sessions, first keyframes (starting many ffmpegs takes a while).
  await new Promise((r) => setTimeout(r, 15_000 + n * 250));
  measuring = true;
  const u0 = treeUsage(edge.pid!);
  const m0 = machineBusyTicks();
  const t0 = Date.now();
  let rssPeakKb = 0;
  const rssTimer = setInterval(() => (rssPeakKb = Math.max(rssPeakKb, treeUsage(edge.pid!).rssKb)), 2000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const u1 = treeUsage(edge.pid!);
  const m1 = machineBusyTicks();
  const wall = (Date.now() - t0) / 1000;
  clearInterval(rssTimer);
  measuring = false;

  edge.kill("SIGTERM");
  await new Promise((r) => edge.once("exit", r));
  await sub.endAsync(true);
  for (const f of feeders) f.kill("SIGKILL");
  await rtsp.stop();
  // The bench's retained topics would otherwise outlive it on the broker.
  fs.rmSync(dir, { recursive: true, force: true });

  const cores = (u1.ticks - u0.ticks) / clkTck / wall;
  // Per-stage split of the same window: the edge's Node process (detector + tracking + rules +
  // outbox), its ffmpeg children (receive, decode, scale, segment), and everything else on the
  // machine (the RTSP server and its feeders, the broker, this script).
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const nodeCores = (u1.rootTicks - u0.rootTicks) / clkTck / wall;
  const breakdown = {
    edgeNodeCores: round2(nodeCores),
    edgeFfmpegCores: round2(cores - nodeCores),
    restOfMachineCores: round2((m1 - m0) / clkTck / wall - cores),
  };
  // Health reports cover 5 s windows; skip the first one (it straddles the warm-up).
  const perCamera = cameraIds.map((id) => {
    const hs = (health.get(id) ?? []).slice(1);
    // "At its configured rate" means detected at that rate: a frame sampled but dropped was not watched.
    return hs.length ? hs.reduce((s, h) => s + h.detected, 0) / hs.length : 0;
  });
  // Frames the detector had to drop (it fell behind) during the window, against frames sampled.
  const dropped = cameraIds.reduce((sum, id) => {
    const hs = health.get(id) ?? [];
    return sum + (hs.length ? hs[hs.length - 1].dropped - hs[0].dropped : 0);
  }, 0);
  const slow = cameraIds.filter((_, i) => perCamera[i] < 0.85 * expectedRate);
  if (slow.length) say(`  ${slow.length} cameras below rate, e.g.`, slow.slice(0, 3).map((id) => JSON.stringify(lastHealth.get(id) ?? "no health")).join("\n  "));
  const sortedLat = [...latencies].sort((a, b) => a - b);
  const avgRate = perCamera.reduce((a, b) => a + b, 0) / n;
  const minRate = Math.min(...perCamera);
  return {
    cameras: n,
    mode,
    cpuPerCamera: Math.round((cores / n) * 1000) / 10,
    samplesPerSecPerCamera: Math.round(avgRate * 100) / 100,
    minSamplesPerSec: Math.round(minRate * 100) / 100,
    latencyP50Ms: Math.round(pct(sortedLat, 50)),
    latencyP99Ms: Math.round(pct(sortedLat, 99)),
    candidates: latencies.length,
    rssMb: Math.round(Math.max(rssPeakKb, u1.rssKb) / 1024),
    edgeCores: Math.round(cores * 100) / 100,
    // Every camera detected at ≥ 85 % of its configured rate (health windows are 5 s; a keyframe every 2 s jitters).
    droppedPct: Math.round((dropped / Math.max(1, avgRate * n * wall + dropped)) * 1000) / 10,
    breakdown,
    ok: minRate >= 0.85 * expectedRate,
  };
}

const source = source1080p();
const mqttDir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-bench-mqtt-"));
fs.chmodSync(mqttDir, 0o755); // mosquitto may run as its own user
const broker = new PrivateMosquitto(await freePort(), path.join(mqttDir, "store"), { persistence: true });
await broker.start();
const show = (t: Trial) =>
  say(
    `${String(t.cameras).padStart(3)} cameras (${t.mode}): edge ${t.edgeCores} cores = ${t.cpuPerCamera}% of a core per camera · ` +
      `${t.samplesPerSecPerCamera} samples/s detected per camera (min ${t.minSamplesPerSec}, target ${expectedRate}, ${t.droppedPct}% of samples dropped) · ` +
      `latency p50 ${t.latencyP50Ms} ms p99 ${t.latencyP99Ms} ms (${t.candidates} candidates) · RSS ${t.rssMb} MB · ${t.ok ? "sustained" : "NOT sustained"}\n` +
      `      cores: edge node ${t.breakdown.edgeNodeCores} + edge ffmpeg ${t.breakdown.edgeFfmpegCores} + rest of machine (RTSP server, feeders, broker) ${t.breakdown.restOfMachineCores}`,
  );
try {
  const first = await trial(startCameras, source, broker.url);
  show(first);
  let sustained = first.ok ? startCameras : 0;
  if (search && first.ok) {
    let n = startCameras;
    while (n < maxCameras) {
      n = Math.min(maxCameras, Math.ceil(n * 1.5));
      const t = await trial(n, source, broker.url);
      show(t);
      if (!t.ok) break;
      sustained = n;
    }
  } else if (search && !first.ok) {
    let n = startCameras;
    while (n > 1) {
      n = Math.max(1, Math.floor(n / 1.5));
      const t = await trial(n, source, broker.url);
      show(t);
      if (t.ok) {
        sustained = n;
        break;
      }
    }
  }
  say(`largest sustained: ${sustained} cameras in ${mode} mode`);
  const { ok: _ok, edgeCores: _c, minSamplesPerSec: _m, candidates: _n, droppedPct: _d, ...figures } = first;
  console.log(JSON.stringify({ ...figures, sustained }));
} finally {
  await broker.stop();
  fs.rmSync(mqttDir, { recursive: true, force: true });
}
