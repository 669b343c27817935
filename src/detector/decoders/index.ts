import type { ModelManifest } from "../manifest.ts";
import { decodeCenternet } from "./centernet.ts";
import { decodeNanodet } from "./nanodet.ts";
import { nmsPerClass } from "./nms.ts";
import type { Candidate, OutputMap } from "./types.ts";
import { decodeYolov5, decodeYolov8 } from "./yolo.ts";

export type { Candidate, OutputMap } from "./types.ts";
export { iou, nmsPerClass } from "./nms.ts";

/** Raw outputs → boxes in model-input pixels, after per-class NMS. */
export function decodeOutputs(outputs: OutputMap, manifest: ModelManifest, threshold: number): Candidate[] {
  const dec = manifest.decoder;
  let candidates: Candidate[];
  switch (dec.family) {
    case "nanodet":
      candidates = decodeNanodet(outputs, dec, manifest.input, threshold);
      break;
    case "centernet":
      candidates = decodeCenternet(outputs, dec, threshold);
      break;
    case "yolov5":
      candidates = decodeYolov5(outputs, dec.output, threshold);
      break;
    case "yolov8":
      candidates = decodeYolov8(outputs, dec.output, threshold);
      break;
  }
  return nmsPerClass(candidates, manifest.nmsIou, manifest.maxDetections);
}
