import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertTfjsGraph } from "../../src/detector/convert/convert.ts";
import { getDetector, ImageReadError, ManifestError, ModelLoadError, releaseDetectors } from "../../src/detector/index.ts";
import { modelsDir, tempDir, testdata } from "./helpers.ts";

afterAll(releaseDetectors);

// The tests write deliberately invalid values into the manifest, so it is untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function nanodetManifest(): Promise<Record<string, any>> {
  return JSON.parse(await readFile(path.join(modelsDir, "nanodet.json"), "utf8"));
}

describe("clear errors", () => {
  it("a corrupt .onnx names the file and the model", async () => {
    const dir = await tempDir("corrupt");
    await copyFile(path.join(modelsDir, "nanodet.json"), path.join(dir, "nanodet.json"));
    await writeFile(path.join(dir, "nanodet.onnx"), Buffer.from("this is not a protobuf model, just text pretending"));
    const err = await getDetector(path.join(dir, "nanodet.json"), { modelsDir }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toContain(`cannot load ONNX model ${path.join(dir, "nanodet.onnx")} (model nanodet`);
  });

  it("a truncated .onnx fails to load too", async () => {
    const dir = await tempDir("truncated");
    await copyFile(path.join(modelsDir, "nanodet.json"), path.join(dir, "nanodet.json"));
    const whole = await readFile(path.join(modelsDir, "nanodet.onnx"));
    await writeFile(path.join(dir, "nanodet.onnx"), whole.subarray(0, 200_000));
    await expect(getDetector(path.join(dir, "nanodet.onnx"), { modelsDir })).rejects.toThrow(ModelLoadError);
  });

  it("a manifest whose input size does not match the model says which input and both shapes", async () => {
    const dir = await tempDir("mismatch");
    const m = await nanodetManifest();
    m.file = path.join(modelsDir, "nanodet.onnx");
    m.input.width = 320;
    m.input.height = 320;
    await writeFile(path.join(dir, "small.json"), JSON.stringify(m));
    await expect(getDetector(path.join(dir, "small.json"), { modelsDir })).rejects.toThrow(
      /does not match .*input "images" has shape \[1,3,416,416\], the manifest says NCHW \[1,3,320,320\]/,
    );
  });

  it("a manifest with the wrong layout or an output the model lacks is refused", async () => {
    const dir = await tempDir("mismatch2");
    const m = await nanodetManifest();
    m.file = path.join(modelsDir, "nanodet.onnx");
    m.input.layout = "NHWC";
    await writeFile(path.join(dir, "layout.json"), JSON.stringify(m));
    await expect(getDetector(path.join(dir, "layout.json"), { modelsDir })).rejects.toThrow(ManifestError);
    const m2 = await nanodetManifest();
    m2.file = path.join(modelsDir, "nanodet.onnx");
    m2.decoder.levels[0].scores = "cls_pred_8";
    await writeFile(path.join(dir, "outputs.json"), JSON.stringify(m2));
    await expect(getDetector(path.join(dir, "outputs.json"), { modelsDir })).rejects.toThrow(/decoder output "cls_pred_8" not in the model/);
  });

  it("an invalid manifest names the bad field; a missing one says a model needs one", async () => {
    const dir = await tempDir("invalid");
    const m = await nanodetManifest();
    m.input.layout = "CHW";
    m.roles.person = "pedestrian";
    await writeFile(path.join(dir, "bad.json"), JSON.stringify(m));
    const err = await getDetector(path.join(dir, "bad.json"), { modelsDir }).catch((e) => e);
    expect(err).toBeInstanceOf(ManifestError);
    expect(err.message).toMatch(/input\.layout/);
    expect(err.message).toMatch(/roles\.person/);
    await expect(getDetector("no-such-model", { modelsDir })).rejects.toThrow(/no model manifest at .*no-such-model\.json/);
  });

  it("an unreadable image names the image", async () => {
    const detector = await getDetector("nanodet", { modelsDir, threads: 1 });
    const dir = await tempDir("images");
    const notImage = path.join(dir, "notes.jpg");
    await writeFile(notImage, "shopping list: apples, umbrella");
    await expect(detector.detectImage(notImage)).rejects.toThrow(ImageReadError);
    await expect(detector.detectImage(notImage)).rejects.toThrow(`cannot read image ${notImage}`);
    await expect(detector.detectImage(path.join(dir, "missing.png"))).rejects.toThrow(/cannot read image .*missing\.png/);
    const jpeg = await readFile(testdata("streetcam/muenster-shot0004.jpg"));
    await expect(detector.detectImage(jpeg.subarray(0, 4000))).rejects.toThrow(/cannot read image buffer of 4000 bytes/);
  });

  it("the converter names the op and the node it cannot convert", () => {
    const graph = {
      nodes: [
        { name: "x", op: "Placeholder", attr: { shape: { shape: { dim: [{ size: "1" }, { size: "4" }] } } } },
        { name: "block/erf", op: "Erf", input: ["x"] },
      ],
      weights: new Map(),
    };
    expect(() => convertTfjsGraph(graph, { outputs: [{ tf: "block/erf", name: "y" }] })).toThrow('unsupported TF.js op "Erf" at node "block/erf"');
  });
});
