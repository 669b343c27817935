// `npm run bench:detect [-- --json] [-- --runs N]`: per model and thread count, the median
// milliseconds of each stage on a real 1080p JPEG, and the pipeline against bare session.run.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { loadDetector, resolveManifestPath } from "../src/detector/detector.ts";
import { decodeScaled } from "../src/detector/image.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const runsArg = args.indexOf("--runs");
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 30;
const warmup = 5;
const models = ["nanodet", "centernet"];
const threadCounts = [1, 2];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (v: number) => Math.round(v * 100) / 100;

async function time<T>(samples: number[], fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await fn();
  samples.push(performance.now() - t);
  return r;
}

// A real street scene at 1080p: a Münster webcam still (1280×720) scaled up with sharp.
const jpeg = await sharp(path.resolve(repoRoot, "test/fixtures/streetcam/muenster-shot0004.jpg")).resize(1920, 1080).jpeg({ quality: 90 }).toBuffer();

if (!json) console.log(`1080p JPEG ${Math.round(jpeg.length / 1024)} KiB; ${runs} runs after ${warmup} warm-up; medians in ms`);
for (const model of models) {
  for (const threads of threadCounts) {
    const detector = await loadDetector(resolveManifestPath(model, path.join(repoRoot, "models")), { modelsDir: path.join(repoRoot, "models"), threads });
    const { width, height, layout, name } = detector.manifest.input;
    const dims = layout === "NCHW" ? [1, 3, height, width] : [1, height, width, 3];
    const bareFeed = { [name]: new ort.Tensor("float32", new Float32Array(width * height * 3).fill(0.5), dims) };
    const s = {
      decode: [] as number[],
      pre: [] as number[],
      infer: [] as number[],
      post: [] as number[],
      pipeline: [] as number[],
      bare: [] as number[],
      image: [] as number[],
    };
    for (let i = 0; i < warmup + runs; i++) {
      const keep = i >= warmup;
      const sink = keep ? s : { decode: [], pre: [], infer: [], post: [], pipeline: [], bare: [], image: [] };
      await time(sink.bare, () => detector.session.run(bareFeed));
      const scaled = await time(sink.decode, () => decodeScaled(jpeg, width, height));
      const input = await time(sink.pre, () => detector.preprocess(scaled.pixels, "rgb24"));
      const outputs = await time(sink.infer, () => detector.infer(input));
      await time(sink.post, () => detector.postprocess(outputs, scaled.original));
      await time(sink.pipeline, () => detector.detectFrame({ data: scaled.pixels, width, height, format: "rgb24" }, scaled.original));
      await time(sink.image, () => detector.detectImage(jpeg));
    }
    const row = {
      model,
      threads,
      decodeMs: round(median(s.decode)),
      preprocessMs: round(median(s.pre)),
      inferMs: round(median(s.infer)),
      postprocessMs: round(median(s.post)),
      pipelineMs: round(median(s.pipeline)),
      bareInferMs: round(median(s.bare)),
      pipelineOverBare: round(median(s.pipeline) / median(s.bare)),
      jpegToDetectionsMs: round(median(s.image)),
      runs,
    };
    if (json) console.log(JSON.stringify(row));
    else
      console.log(
        `${model.padEnd(9)} threads=${threads}  decode ${row.decodeMs}  pre ${row.preprocessMs}  infer ${row.inferMs}  post ${row.postprocessMs}  ` +
          `| pipeline ${row.pipelineMs} vs bare run ${row.bareInferMs} (×${row.pipelineOverBare})  | 1080p JPEG → detections ${row.jpegToDetectionsMs}`,
      );
    await detector.session.release();
  }
}
