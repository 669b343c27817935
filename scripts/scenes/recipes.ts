import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SceneRecipe } from "./compose-scene.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const vtest = { video: path.join(repoRoot, ".vendor/vtest.avi") };
const carpark = { video: path.join(repoRoot, "test/fixtures/clips/carpark-intel.mp4") };
const muenster5 = { still: path.join(repoRoot, "test/fixtures/streetcam/muenster-shot0005.jpg") };

// COCO annotations (test/fixtures/coco/instances.json), cut along their segmentation polygons.
const PERSON_A = 521861; // standing, narrow
const PERSON_B = 457524;
const UMBRELLA_OPEN = 281295;
const UMBRELLA_B = 282688;
const UMBRELLA_C = 282905;
const TABLE_A = 390196;
const TABLE_B = 1612964;
const TABLE_C = 415529;
const CHAIR_A = 386565;
const CHAIR_B = 389340;
const CHAIR_C = 388495;
const CHAIR_D = 376072;
const PLANT_BIG = 1605647;
const PLANT_SMALL = 1954504;
const BENCH = 579276;
const HANDBAG = 1176301;
const BACKPACK = 1420898;
const BICYCLE_A = 240982;
const BICYCLE_B = 125062;
const TRUCK = 1370706;
const CAR = 139801;

const VTEST = { width: 768, height: 576, fps: 4 } as const;
const MUENSTER = { width: 1280, height: 720, fps: 4 } as const;
const CARPARK = { width: 768, height: 432, fps: 4 } as const;
/** Objects arrive at this second in every violation scene (after the static detector's 20 s warm-up). */
export const ARRIVE = 30;

/**
 * The generated scenes of bench/scenes/manifest.yaml: real footage (OpenCV's plaza clip, the car
 * park clip, a Münster webcam still held) with real COCO objects composited in. Positions are in
 * frame pixels, chosen by looking at the frames (on the paved path, the cobbles, the asphalt).
 */
export const sceneRecipes: Record<string, SceneRecipe> = {
  "vtest-parasol-vendor": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 100,
    objects: [
      { annotation: UMBRELLA_B, width: 80, x: 515, y: 318, from: ARRIVE },
      { annotation: TABLE_C, width: 46, x: 535, y: 352, from: ARRIVE },
      { annotation: PERSON_A, width: 28, height: 82, x: 600, y: 318, from: ARRIVE },
    ],
  },
  "vtest-goods-vendor-dimming": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 110,
    objects: [
      { annotation: BENCH, width: 62, x: 330, y: 300, from: ARRIVE },
      { annotation: CHAIR_A, width: 28, x: 396, y: 306, from: ARRIVE },
      { annotation: PERSON_B, width: 42, height: 80, x: 290, y: 268, from: ARRIVE },
    ],
    lighting: [
      [0, 1],
      [40, 1],
      [70, 0.6],
      [110, 0.6],
    ],
  },
  "vtest-small-goods-vendor": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 100,
    objects: [
      { annotation: HANDBAG, width: 18, x: 650, y: 402, from: ARRIVE },
      { annotation: BACKPACK, width: 14, x: 672, y: 398, from: ARRIVE },
      { annotation: PLANT_SMALL, width: 22, x: 628, y: 392, from: ARRIVE },
      { annotation: PERSON_A, width: 26, height: 76, x: 690, y: 348, from: ARRIVE },
    ],
  },
  "vtest-far-vendor": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 100,
    objects: [
      { annotation: UMBRELLA_C, width: 44, x: 556, y: 176, from: ARRIVE },
      { annotation: CHAIR_B, width: 16, x: 572, y: 196, from: ARRIVE },
      { annotation: PERSON_B, width: 26, height: 50, x: 602, y: 170, from: ARRIVE },
    ],
  },
  "vtest-cafe-overflow": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 100,
    objects: [
      { annotation: UMBRELLA_OPEN, width: 110, x: 396, y: 262, from: ARRIVE },
      { annotation: TABLE_A, width: 52, x: 424, y: 300, from: ARRIVE },
      { annotation: CHAIR_B, width: 20, x: 482, y: 318, from: ARRIVE },
      { annotation: CHAIR_C, width: 18, x: 402, y: 326, from: ARRIVE },
      { annotation: TABLE_B, width: 72, x: 520, y: 380, from: ARRIVE },
    ],
  },
  "vtest-plants-walkers-overflow": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 100,
    objects: [
      { annotation: PLANT_BIG, width: 40, x: 450, y: 382, from: ARRIVE },
      { annotation: PLANT_SMALL, width: 24, x: 502, y: 388, from: ARRIVE },
      { annotation: BICYCLE_A, width: 62, x: 560, y: 384, from: ARRIVE },
    ],
    walkers: [
      { annotation: PERSON_A, height: 86, y: 352, x0: 380, x1: 660, from: 34, to: 100, crossSeconds: 7 },
      { annotation: PERSON_B, height: 80, y: 362, x0: 650, x1: 380, from: 38, to: 100, crossSeconds: 10 },
    ],
  },
  "muenster-cafe-overflow": {
    source: muenster5,
    ...MUENSTER,
    seconds: 100,
    objects: [
      { annotation: UMBRELLA_OPEN, width: 120, x: 640, y: 540, from: ARRIVE },
      { annotation: TABLE_A, width: 60, x: 790, y: 560, from: ARRIVE },
      { annotation: CHAIR_A, width: 36, x: 870, y: 590, from: ARRIVE },
      { annotation: UMBRELLA_B, width: 110, x: 660, y: 640, from: ARRIVE },
      { annotation: TABLE_B, width: 100, x: 800, y: 660, from: ARRIVE },
      { annotation: PLANT_BIG, width: 45, x: 930, y: 560, from: ARRIVE },
    ],
  },
  "muenster-vendor-dimming": {
    source: muenster5,
    ...MUENSTER,
    seconds: 100,
    objects: [
      { annotation: UMBRELLA_C, width: 90, x: 700, y: 560, from: ARRIVE },
      { annotation: BENCH, width: 70, x: 720, y: 610, from: ARRIVE },
      { annotation: PERSON_A, width: 34, height: 96, x: 800, y: 580, from: ARRIVE },
    ],
    lighting: [
      [0, 1],
      [40, 1],
      [60, 0.7],
      [100, 0.7],
    ],
  },
  "muenster-terrace-walkers": {
    source: muenster5,
    ...MUENSTER,
    seconds: 100,
    objects: [
      { annotation: TABLE_A, width: 60, x: 700, y: 600, from: ARRIVE },
      { annotation: TABLE_C, width: 60, x: 820, y: 620, from: ARRIVE },
      { annotation: CHAIR_A, width: 34, x: 660, y: 620, from: ARRIVE },
      { annotation: CHAIR_D, width: 40, x: 890, y: 640, from: ARRIVE },
    ],
    walkers: [
      { annotation: PERSON_A, height: 96, y: 580, x0: 560, x1: 980, from: 32, to: 100, crossSeconds: 8 },
      { annotation: PERSON_B, height: 90, y: 600, x0: 980, x1: 600, from: 36, to: 100, crossSeconds: 11 },
    ],
  },
  "carpark-bicycle-overflow": {
    source: { ...carpark, loops: 3 },
    ...CARPARK,
    seconds: 100,
    objects: [
      { annotation: BICYCLE_B, width: 60, x: 300, y: 180, from: ARRIVE },
      { annotation: CHAIR_D, width: 44, x: 390, y: 220, from: ARRIVE },
    ],
  },
  "vtest-lighting": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 110,
    lighting: [
      [0, 1],
      [30, 1],
      [60, 0.55],
      [80, 0.55],
      [100, 0.9],
    ],
  },
  "vtest-moving-shadows": {
    source: { ...vtest, loops: 1 },
    ...VTEST,
    seconds: 100,
    shadows: [
      { cx: 450, cy: 350, rx: 90, ry: 40, gain: 0.6, sway: 60, periodSeconds: 12 },
      { cx: 650, cy: 420, rx: 70, ry: 30, gain: 0.65, sway: 40, periodSeconds: 9 },
    ],
  },
  "vtest-awning-shadow": {
    source: { ...vtest, loops: 2 },
    ...VTEST,
    seconds: 150,
    // A hard shadow (45 % light) falls across the path at 30 s and stays; its edge then creeps up 0.5 px/s.
    castShadows: [{ y0: 330, slope: 0.2, gain: 0.45, soft: 5, from: 30, creepPxPerSecond: 0.5 }],
  },
  "vtest-van-2min": {
    source: { ...vtest, loops: 2 },
    ...VTEST,
    seconds: 170,
    objects: [{ annotation: TRUCK, width: 150, x: 470, y: 250, from: 20, to: 145, slideFromX: 800, slideSeconds: 5 }],
  },
  "carpark-car-parks-and-leaves": {
    source: { ...carpark, loops: 3 },
    ...CARPARK,
    seconds: 100,
    objects: [{ annotation: CAR, width: 170, x: 300, y: 150, from: 15, to: 60, slideFromX: -220, slideSeconds: 5 }],
  },
  "muenster-building-shadow": {
    source: muenster5,
    ...MUENSTER,
    seconds: 120,
    // A building's shadow (50 % light) falls diagonally over the cobbles at 30 s and stays; people walk through it.
    castShadows: [{ y0: 300, slope: 0.45, gain: 0.5, soft: 8, from: 30 }],
    walkers: [{ annotation: PERSON_A, height: 96, y: 600, x0: 560, x1: 980, from: 10, to: 120, crossSeconds: 11 }],
  },
  "muenster-people-talking": {
    source: muenster5,
    ...MUENSTER,
    seconds: 100,
    objects: [
      { annotation: PERSON_A, width: 33, height: 95, x: 760, y: 560, from: 20, to: 80 },
      { annotation: PERSON_B, width: 47, height: 90, x: 800, y: 566, from: 20, to: 80 },
    ],
    walkers: [{ annotation: PERSON_A, height: 96, y: 600, x0: 560, x1: 980, from: 10, to: 100, crossSeconds: 9 }],
  },
};
