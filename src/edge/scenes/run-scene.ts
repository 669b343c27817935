import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { readEdgeConfigFile } from "../config/edge-config-file.ts";
import { writeSituationEvidence } from "../evidence/write-evidence.ts";
import { replayVideo } from "../replay/replay-video.ts";
import type { Situation } from "../rules/situation.ts";
import { ffmpegPath } from "../../shared/ffmpeg-path.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Scene } from "./scene-manifest.ts";

const run = promisify(execFile);

export interface RaisedCandidate {
  rule: string;
  ruleId: string;
  zone: string;
  /** Video second at which the candidate was raised (dwell reached). */
  raisedAtSec: number;
  /** Roles of the objects that made it qualify, e.g. ["person", "static_object"]. */
  roles: string[];
  evidence?: string;
}

export interface SceneResult {
  id: string;
  description: string;
  expected: string;
  pass: boolean;
  candidates: RaisedCandidate[];
  /** Seconds from the scene's window opening to the first matching candidate (positives that passed). */
  timeToCandidateSec?: number;
  samples: number;
  /** This process's CPU time (detector, static objects, tracker, rules; not ffmpeg's decoding) per detected sample. */
  cpuMsPerSample: number;
  wallSeconds: number;
  /** Why the scene could not be replayed (it then fails). */
  error?: string;
}

export interface RunSceneOptions {
  modelsDir: string;
  threads?: number;
  log: Logger;
  evidenceDir?: string;
}

/** A still held for N seconds, as a temporary H.264 file ffmpeg can replay like any clip. */
async function stillToVideo(image: string, seconds: number, fps: number): Promise<{ file: string; dispose: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "curbwatch-still-"));
  const file = path.join(dir, "still.mp4");
  await run(ffmpegPath(), [
    "-v",
    "error",
    "-loop",
    "1",
    "-framerate",
    String(fps),
    "-i",
    image,
    "-t",
    String(seconds),
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-pix_fmt",
    "yuv420p",
    "-vf",
    "pad=ceil(iw/2)*2:ceil(ih/2)*2",
    "-y",
    file,
  ]);
  return { file, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
}

export function describeExpectation(s: Scene): string {
  return s.expect === "nothing" ? "nothing" : `${s.expect.rule} in ${s.expect.within[0]}–${s.expect.within[1]} s`;
}

/** Like runScene, but a scene that cannot be replayed fails with its reason instead of ending the run. */
export async function runSceneSafely(scene: Scene, opts: RunSceneOptions): Promise<SceneResult> {
  try {
    return await runScene(scene, opts);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return {
      id: scene.id,
      description: scene.description,
      expected: describeExpectation(scene),
      pass: false,
      candidates: [],
      samples: 0,
      cpuMsPerSample: 0,
      wallSeconds: 0,
      error,
    };
  }
}

/** Replays one scene through the edge pipeline and judges what it raised against what must happen. */
export async function runScene(scene: Scene, opts: RunSceneOptions): Promise<SceneResult> {
  const config = readEdgeConfigFile(scene.config);
  const still = scene.still ? await stillToVideo(scene.still.image, scene.still.seconds, scene.still.fps) : undefined;
  const video = still?.file ?? scene.video!;
  try {
    await fs.access(video);
  } catch {
    throw new Error(`scene ${scene.id}: video ${video} does not exist (generated scenes: run npm run bench:scenes first)`);
  }
  const started: Situation[] = [];
  const cpu0 = process.cpuUsage();
  try {
    const summary = await replayVideo({
      video,
      config,
      modelsDir: opts.modelsDir,
      threads: opts.threads,
      log: opts.log,
      onEvent: (ev) => {
        if (ev.phase === "start") started.push(structuredClone(ev.situation));
      },
    });
    const cpu = process.cpuUsage(cpu0);
    const candidates: RaisedCandidate[] = [];
    for (const s of started) {
      const c: RaisedCandidate = {
        rule: s.rule.kind,
        ruleId: s.rule.id,
        zone: s.zone.id,
        raisedAtSec: Math.round(s.dwellFrame.videoSec * 10) / 10,
        roles: [...new Set(s.objects.map((o) => o.role))].sort(),
      };
      if (opts.evidenceDir) c.evidence = await writeSituationEvidence(opts.evidenceDir, video, s, `${scene.id}__`);
      candidates.push(c);
    }
    const exp = scene.expect;
    let pass: boolean;
    let timeToCandidateSec: number | undefined;
    if (exp === "nothing") {
      pass = candidates.length === 0;
    } else {
      const hit = candidates.find((c) => c.rule === exp.rule && c.raisedAtSec >= exp.within[0] && c.raisedAtSec <= exp.within[1]);
      // The right rule in the window, and nothing raised before the violation began (a false
      // alarm). Another rule raised by the same objects afterwards is shown but not held against it.
      const early = candidates.filter((c) => c.raisedAtSec < exp.within[0]);
      pass = hit !== undefined && early.length === 0;
      if (hit) timeToCandidateSec = Math.round((hit.raisedAtSec - exp.within[0]) * 10) / 10;
    }
    return {
      id: scene.id,
      description: scene.description,
      expected: describeExpectation(scene),
      pass,
      candidates,
      ...(timeToCandidateSec !== undefined ? { timeToCandidateSec } : {}),
      samples: summary.framesDetected,
      cpuMsPerSample: summary.framesDetected ? Math.round(((cpu.user + cpu.system) / 1000 / summary.framesDetected) * 10) / 10 : 0,
      wallSeconds: Math.round(summary.wallSeconds * 10) / 10,
    };
  } finally {
    await still?.dispose();
  }
}

/** Replays the scenes one after another, handing each result over as it is judged; returns the totals. */
export async function runSceneSet(scenes: Scene[], opts: RunSceneOptions, onResult: (r: SceneResult) => void): Promise<SceneTotals> {
  const results: SceneResult[] = [];
  for (const scene of scenes) {
    const r = await runSceneSafely(scene, opts);
    results.push(r);
    onResult(r);
  }
  return sceneTotals(results, scenes);
}

export interface SceneTotals {
  scenes: number;
  positives: number;
  positivesHit: number;
  negatives: number;
  negativesClean: number;
  msPerSample: number;
}

export function sceneTotals(results: SceneResult[], scenes: Scene[]): SceneTotals {
  const byId = new Map(scenes.map((s) => [s.id, s]));
  const pos = results.filter((r) => byId.get(r.id)?.expect !== "nothing");
  const neg = results.filter((r) => byId.get(r.id)?.expect === "nothing");
  const samples = results.reduce((a, r) => a + r.samples, 0);
  const cpuMs = results.reduce((a, r) => a + r.cpuMsPerSample * r.samples, 0);
  return {
    scenes: results.length,
    positives: pos.length,
    positivesHit: pos.filter((r) => r.pass).length,
    negatives: neg.length,
    negativesClean: neg.filter((r) => r.pass).length,
    msPerSample: samples ? Math.round((cpuMs / samples) * 10) / 10 : 0,
  };
}

export function formatSceneResult(r: SceneResult): string {
  const raised = r.candidates.length ? r.candidates.map((c) => `${c.rule}@${c.raisedAtSec}s[${c.roles.join("+")}]`).join(", ") : "nothing";
  const ttc = r.timeToCandidateSec !== undefined ? `  time to candidate ${r.timeToCandidateSec} s` : "";
  if (r.error) return `FAIL  ${r.id.padEnd(28)} expected ${r.expected}; not replayed: ${r.error}`;
  return `${r.pass ? "PASS" : "FAIL"}  ${r.id.padEnd(28)} expected ${r.expected}; raised ${raised}${ttc}  (${r.samples} samples, ${r.cpuMsPerSample} ms/sample)`;
}
