import { access } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { Detection } from "../contracts/roles.ts";
import { createLogger } from "../shared/logger.ts";
import { stageClock } from "../shared/stage-clock.ts";
import type { Candidate, OutputMap } from "./decoders/index.ts";
import { decodeOutputs } from "./decoders/index.ts";
import { decodeScaled } from "./image.ts";
import type { ModelManifest } from "./manifest.ts";
import { ManifestError, modelFilePath, readManifest } from "./manifest.ts";
import { toInputTensor } from "./preprocess.ts";

const log = createLogger("detector");

export interface DetectorOptions {
  modelsDir: string;
  threads?: number;
  executionProvider?: "cpu" | "cuda";
  /** Let ORT's intra-op threads busy-wait between ops. Off by default: next to ffmpeg children on a shared box, spinning threads steal the cores they wait for (NanoDet at 2 threads under load: 96 ms spinning vs 57 ms not). */
  spinning?: boolean;
}

export interface RawFrame {
  data: Buffer;
  width: number;
  height: number;
  format: "rgb24" | "bgr24";
}

export interface DetectOptions {
  threshold?: number;
}

export interface Detector {
  readonly name: string;
  readonly manifest: ModelManifest;
  /** Frame already fitted to the model input by ffmpeg (stretched, or letterboxed top-left when the manifest says so); boxes are returned scaled to originalWidth×originalHeight. */
  detectFrame(frame: RawFrame, original: { width: number; height: number }, opts?: DetectOptions): Promise<Detection[]>;
  /** Any JPEG/PNG; decoded and resized with sharp; boxes in the image's own pixels. */
  detectImage(image: Buffer | string, opts?: DetectOptions): Promise<Detection[]>;
}

export class ModelLoadError extends Error {
  override name = "ModelLoadError";
}

/**
 * One ONNX Runtime session per model, shared by every camera of the process. Runs are
 * queued so cameras take turns on the intra-op thread pool instead of oversubscribing
 * the CPU, and so the one input buffer can be reused.
 */
export class OnnxDetector implements Detector {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inputBuffer: Float32Array;
  private readonly inputDims: number[];

  constructor(
    readonly name: string,
    readonly manifest: ModelManifest,
    readonly session: ort.InferenceSession,
  ) {
    const { width, height, layout } = manifest.input;
    this.inputBuffer = new Float32Array(width * height * 3);
    this.inputDims = layout === "NCHW" ? [1, 3, height, width] : [1, height, width, 3];
  }

  async detectFrame(frame: RawFrame, original: { width: number; height: number }, opts: DetectOptions = {}): Promise<Detection[]> {
    const { width, height } = this.manifest.input;
    if (frame.width !== width || frame.height !== height) {
      throw new Error(
        `model ${this.name} takes ${width}×${height} frames; got ${frame.width}×${frame.height} (scale with ffmpeg to the manifest's input size)`,
      );
    }
    return this.exclusive(async () => {
      const input = stageClock.time("scaleConvert", () => this.preprocess(frame.data, frame.format));
      return stageClock.timeAsync("inference", async () => this.postprocess(await this.infer(input), original, opts.threshold));
    });
  }

  async detectImage(image: Buffer | string, opts: DetectOptions = {}): Promise<Detection[]> {
    const { width, height } = this.manifest.input;
    const scaled = await decodeScaled(image, width, height, this.manifest.input.resize);
    return this.detectFrame({ data: scaled.pixels, width, height, format: "rgb24" }, scaled.original, opts);
  }

  /** Stage: pixels → input tensor (reuses one buffer; callers hold the queue). */
  preprocess(pixels: Uint8Array, format: RawFrame["format"]): Float32Array {
    return toInputTensor(pixels, format, this.manifest.input, this.inputBuffer);
  }

  /** Stage: bare inference. */
  async infer(input: Float32Array): Promise<OutputMap> {
    const feeds = { [this.manifest.input.name]: new ort.Tensor("float32", input, this.inputDims) };
    const result = await this.session.run(feeds);
    const outputs: OutputMap = {};
    for (const [k, t] of Object.entries(result)) outputs[k] = { data: t.data as Float32Array, dims: t.dims };
    return outputs;
  }

  /** Stage: decode + NMS + scale boxes to the original frame + attach roles. */
  postprocess(outputs: OutputMap, original: { width: number; height: number }, threshold = this.manifest.defaultThreshold): Detection[] {
    const candidates = decodeOutputs(outputs, this.manifest, threshold);
    return candidates.map((c) => this.toDetection(c, original));
  }

  private toDetection(c: Candidate, original: { width: number; height: number }): Detection {
    const { sx, sy } = inputToOriginalScale(this.manifest.input, original);
    const label = this.manifest.classes[c.classIndex] ?? `class_${c.classIndex}`;
    const clampRound = (v: number, max: number) => Math.round(Math.min(Math.max(v, 0), max) * 10) / 10;
    return {
      label,
      role: this.manifest.roles[label] ?? "other",
      score: Math.round(c.score * 1e4) / 1e4,
      box: [
        clampRound(c.x1 * sx, original.width),
        clampRound(c.y1 * sy, original.height),
        clampRound(c.x2 * sx, original.width),
        clampRound(c.y2 * sy, original.height),
      ],
    };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Original pixels per model-input pixel: per axis when stretched, one factor when letterboxed top-left. */
export function inputToOriginalScale(input: ModelManifest["input"], original: { width: number; height: number }): { sx: number; sy: number } {
  const sx = original.width / input.width;
  const sy = original.height / input.height;
  if (input.resize === "letterbox") {
    const s = Math.max(sx, sy);
    return { sx: s, sy: s };
  }
  return { sx, sy };
}

const shared = new Map<string, Promise<OnnxDetector>>();

/** Returns the shared detector for a model name (looked up as `${modelsDir}/${name}.json` manifest) or a path to a manifest/.onnx; one ONNX session per model per process. */
export function getDetector(model: string, opts: DetectorOptions): Promise<Detector> {
  return getOnnxDetector(model, opts);
}

export async function getOnnxDetector(model: string, opts: DetectorOptions): Promise<OnnxDetector> {
  const manifestPath = resolveManifestPath(model, opts.modelsDir);
  let pending = shared.get(manifestPath);
  if (!pending) {
    pending = loadDetector(manifestPath, opts);
    shared.set(manifestPath, pending);
    // A failed load must not poison the cache: the next caller may have fixed the file.
    pending.catch(() => shared.delete(manifestPath));
  }
  return pending;
}

/** Closes every shared session (tests, shutdown). */
export async function releaseDetectors(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  for (const p of all) {
    const d = await p.catch(() => undefined);
    await d?.session.release();
  }
}

export function resolveManifestPath(model: string, modelsDir: string): string {
  if (model.endsWith(".json")) return path.resolve(model);
  if (model.endsWith(".onnx")) return path.resolve(model.slice(0, -".onnx".length) + ".json");
  if (model.includes("/") || model.includes(path.sep)) return path.resolve(`${model}.json`);
  return path.resolve(modelsDir, `${model}.json`);
}

/** A detector with its own session, outside the shared cache (benchmarks comparing thread counts). */
export async function loadDetector(manifestPath: string, opts: DetectorOptions): Promise<OnnxDetector> {
  try {
    await access(manifestPath);
  } catch {
    throw new ManifestError(`no model manifest at ${manifestPath}: a model is an .onnx plus a manifest .json beside it`);
  }
  const manifest = await readManifest(manifestPath);
  const file = modelFilePath(manifestPath, manifest);
  const provider = opts.executionProvider ?? "cpu";
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      executionProviders: provider === "cuda" ? ["cuda", "cpu"] : ["cpu"],
      intraOpNumThreads: opts.threads ?? 0,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
      extra: { session: { intra_op: { allow_spinning: opts.spinning ? "1" : "0" } } },
    });
  } catch (err) {
    throw new ModelLoadError(`cannot load ONNX model ${file} (model ${manifest.name}, provider ${provider}): ${(err as Error).message}`);
  }
  checkSessionMatchesManifest(session, manifest, manifestPath);
  log.debug(
    { model: manifest.name, file, input: `${manifest.input.width}x${manifest.input.height}`, threads: opts.threads ?? "auto", provider },
    "detector model loaded",
  );
  return new OnnxDetector(manifest.name, manifest, session);
}

/** A manifest that disagrees with its model fails at load, not with garbage boxes later. */
function checkSessionMatchesManifest(session: ort.InferenceSession, m: ModelManifest, manifestPath: string): void {
  const fail = (what: string) => {
    throw new ManifestError(`model manifest ${manifestPath} does not match ${m.file}: ${what}`);
  };
  const meta = session.inputMetadata.find((i) => i.name === m.input.name);
  if (!meta) fail(`input "${m.input.name}" not in the model (inputs: ${session.inputNames.join(", ")})`);
  if (meta && meta.isTensor) {
    const want = m.input.layout === "NCHW" ? [1, 3, m.input.height, m.input.width] : [1, m.input.height, m.input.width, 3];
    const got = meta.shape;
    const matches = got.length === 4 && got.every((d, i) => typeof d !== "number" || d === want[i] || (i === 0 && d < 0));
    if (!matches) fail(`input "${m.input.name}" has shape [${got.join(",")}], the manifest says ${m.input.layout} [${want.join(",")}]`);
  }
  const d = m.decoder;
  const needed = d.family === "nanodet" ? d.levels.flatMap((l) => [l.scores, l.boxes]) : d.family === "centernet" ? [d.heatmap, d.extents] : [d.output];
  for (const name of needed)
    if (!session.outputNames.includes(name)) fail(`decoder output "${name}" not in the model (outputs: ${session.outputNames.join(", ")})`);
}
