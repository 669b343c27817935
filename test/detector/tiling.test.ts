import { describe, expect, it } from "vitest";
import type { Detection } from "../../src/contracts/roles.ts";
import { cutEdges, mergeTiledDetections, planTiles, tileBoxToPicture, type Tile, type TiledDetection } from "../../src/detector/tiling.ts";

const MODEL = { width: 416, height: 416 };
const FHD = { width: 1920, height: 1080 };
const opts = { overlap: 0.2, singleTileMaxScale: 1.5, maxTiles: 2 };

const person = (box: Detection["box"], score = 0.8): Detection => ({ label: "person", role: "person", score, box });

describe("tile plans", () => {
  it("a small region is one native-scale tile centred on it (context, not upscaling)", () => {
    const plan = planTiles({ x: 900, y: 500, width: 200, height: 100 }, FHD, MODEL, opts);
    // Centre (1000, 550) − 208 = (792, 342); 416×416 at 1:1.
    expect(plan.tiles).toEqual([
      {
        crop: { x: 792, y: 342, width: 416, height: 416 },
        resized: { width: 416, height: 416 },
        interior: { left: true, top: true, right: true, bottom: true },
      },
    ]);
    expect(plan.scale).toBe(1);
  });

  it("a region up to 1.5× the input is one downscaled tile with the model's aspect, kept inside the frame", () => {
    // 600×300 at the bottom-right corner: scale 600/416, tile 600×600 pushed up into the frame.
    const plan = planTiles({ x: 1320, y: 780, width: 600, height: 300 }, FHD, MODEL, opts);
    expect(plan.tiles).toHaveLength(1);
    expect(plan.tiles[0].crop).toEqual({ x: 1320, y: 480, width: 600, height: 600 });
    expect(plan.tiles[0].resized).toEqual({ width: 416, height: 416 });
    expect(plan.tiles[0].interior).toEqual({ left: true, top: true, right: false, bottom: false });
  });

  it("a kerb strip across a 1080p frame takes two overlapping tiles (the default budget)", () => {
    const plan = planTiles({ x: 0, y: 760, width: 1920, height: 320 }, FHD, MODEL, opts);
    // 2×1 grid: scale = 1920 / (416 · (2 − 0.2)) = 2.5641; tile side round(416 · 2.5641) = 1067.
    expect(plan.tiles.map((t) => t.crop)).toEqual([
      { x: 0, y: 13, width: 1067, height: 1067 },
      { x: 853, y: 13, width: 1067, height: 1067 },
    ]);
    expect(plan.tiles.every((t) => t.resized.width === 416 && t.resized.height === 416)).toBe(true);
    expect(plan.scale).toBeCloseTo(1067 / 416, 10);
    // Shared columns 853..1067: 214 px = 20 % of a tile.
    expect(plan.tiles[0].crop.x + plan.tiles[0].crop.width - plan.tiles[1].crop.x).toBeGreaterThanOrEqual(0.2 * 1067);
  });

  it("a crop clipped by the frame is letterboxed: aspect kept, padded right/bottom", () => {
    const plan = planTiles({ x: 0, y: 0, width: 768, height: 200 }, { width: 768, height: 200 }, MODEL, { ...opts, maxTiles: 1 });
    // Scale 768/416 would need a 768×768 tile; the frame is 200 high: 768×200 → 416×108 (round(200·416/768) = 108.33).
    expect(plan.tiles[0].crop).toEqual({ x: 0, y: 0, width: 768, height: 200 });
    expect(plan.tiles[0].resized).toEqual({ width: 416, height: 108 });
  });

  it("rejects a region outside the picture and a zero budget", () => {
    expect(() => planTiles({ x: 2000, y: 0, width: 10, height: 10 }, FHD, MODEL, opts)).toThrow(/outside the 1920×1080 picture/);
    expect(() => planTiles({ x: 0, y: 0, width: 10, height: 10 }, FHD, MODEL, { ...opts, maxTiles: 0 })).toThrow(/at least one tile/);
  });
});

describe("boxes back to the picture", () => {
  const tile: Tile = {
    crop: { x: 853, y: 13, width: 1067, height: 1067 },
    resized: { width: 416, height: 416 },
    interior: { left: true, top: true, right: false, bottom: false },
  };

  it("inverts crop + resize exactly", () => {
    // Model box [104, 208, 208, 416]: ×1067/416 = 266.75, 533.5, 1067 → + (853, 13).
    expect(tileBoxToPicture(tile, [104, 208, 208, 416])).toEqual([853 + 266.75, 13 + 533.5, 853 + 533.5, 13 + 1067]);
    expect(tileBoxToPicture(tile, [0, 0, 416, 416])).toEqual([853, 13, 1920, 1080]);
  });

  it("maps a letterboxed crop with its own factor per axis", () => {
    const clipped: Tile = {
      crop: { x: 0, y: 0, width: 768, height: 200 },
      resized: { width: 416, height: 108 },
      interior: { left: false, top: false, right: false, bottom: false },
    };
    // x: 768/416 = 1.846…; y: 200/108 = 1.851…
    expect(tileBoxToPicture(clipped, [52, 27, 104, 54])).toEqual([96, 50, 192, 100]);
  });

  it("marks as cut only the sides touching an edge inside the picture", () => {
    expect(cutEdges(tile, [0, 100, 50, 200])).toEqual({ left: true, top: false, right: false, bottom: false });
    // The right edge of this tile is the frame's edge: an object ending there is not cut.
    expect(cutEdges(tile, [300, 100, 416, 416])).toEqual({ left: false, top: false, right: false, bottom: false });
  });
});

describe("merging across tiles", () => {
  const none = { left: false, top: false, right: false, bottom: false };

  it("joins a person split by a tile edge into one box", () => {
    // Tiles meet at x = 1000: the left tile ends there, the right one starts at x = 980 (20 px overlap).
    // The person spans x 960..1040: each tile sees a part and neither sees it whole.
    const items: TiledDetection[] = [
      { detection: person([960, 400, 1000, 560], 0.7), tile: 0, cut: { ...none, right: true } },
      { detection: person([980, 402, 1040, 558], 0.6), tile: 1, cut: { ...none, left: true } },
    ];
    expect(mergeTiledDetections(items, { nmsIou: 0.5 })).toEqual([person([960, 400, 1040, 560], 0.7)]);
  });

  it("keeps the whole box when the overlapping tile saw the person whole", () => {
    const items: TiledDetection[] = [
      { detection: person([960, 400, 1000, 560], 0.8), tile: 0, cut: { ...none, right: true } },
      { detection: person([958, 401, 1041, 559], 0.7), tile: 1, cut: none },
    ];
    expect(mergeTiledDetections(items, { nmsIou: 0.5 })).toEqual([person([958, 400, 1041, 560], 0.8)]);
  });

  it("does not join two people standing side by side, nor a person with another class", () => {
    const items: TiledDetection[] = [
      { detection: person([900, 400, 1000, 560]), tile: 0, cut: { ...none, right: true } },
      // Next person, at another height: they do not line up across the cut.
      { detection: person([990, 520, 1060, 700]), tile: 1, cut: none },
      { detection: { label: "umbrella", role: "vending_gear", score: 0.6, box: [990, 380, 1080, 470] }, tile: 1, cut: { ...none, left: true } },
    ];
    expect(mergeTiledDetections(items, { nmsIou: 0.5 })).toHaveLength(3);
  });

  it("removes the duplicate a whole-frame pass adds (per-label NMS, best score first)", () => {
    const items: TiledDetection[] = [
      { detection: person([100, 100, 150, 220], 0.9), tile: 0, cut: none },
      { detection: person([102, 98, 152, 224], 0.5), tile: -1, cut: none },
      { detection: { label: "chair", role: "furniture", score: 0.4, box: [100, 100, 150, 220] }, tile: -1, cut: none },
    ];
    expect(mergeTiledDetections(items, { nmsIou: 0.5 }).map((d) => [d.label, d.score])).toEqual([
      ["person", 0.9],
      ["chair", 0.4],
    ]);
  });
});
