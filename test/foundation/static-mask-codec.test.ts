import { describe, expect, it } from "vitest";
import {
  cameraHealthSchema,
  decodeStaticCells,
  encodeStaticCells,
  encodedStaticCellsLength,
  staticMasksSchema,
  STATIC_MASK_MAX_SIDE,
} from "../../src/contracts/index.ts";

const cellsOf = (w: number, h: number, on: (i: number) => boolean) => Uint8Array.from({ length: w * h }, (_, i) => (on(i) ? 1 : 0));

describe("static-object mask codec (base64 bitset, row-major)", () => {
  it("round-trips grids of every shape up to 160×160, partial last bytes included", () => {
    for (const [w, h] of [
      [1, 1],
      [8, 8],
      [13, 7],
      [160, 18],
      [91, 160],
      [STATIC_MASK_MAX_SIDE, STATIC_MASK_MAX_SIDE],
    ]) {
      const cells = cellsOf(w, h, (i) => (i * 7919) % 11 < 4);
      const text = encodeStaticCells(cells);
      expect(text).toHaveLength(encodedStaticCellsLength(w, h));
      expect(decodeStaticCells(text, w, h)).toEqual(cells);
    }
    expect(encodedStaticCellsLength(160, 160), "a full grid stays a few KB").toBe(4268);
  });

  it("puts the first cell in the first byte's highest bit", () => {
    expect(encodeStaticCells(cellsOf(8, 1, (i) => i === 0))).toBe("gA==");
    expect(encodeStaticCells(cellsOf(8, 2, (i) => i === 15))).toBe("AAE=");
    expect(decodeStaticCells("AAE=", 8, 2)[15]).toBe(1);
  });

  it("refuses text that is not exactly the stated grid", () => {
    const text = encodeStaticCells(cellsOf(16, 16, (i) => i % 3 === 0));
    expect(() => decodeStaticCells(text, 16, 20)).toThrow(/not the 40 bytes of a 16×20 grid/);
    expect(() => decodeStaticCells(text.slice(4), 16, 16)).toThrow(/not the/);
    expect(() => decodeStaticCells(`${text}AAAA`, 16, 16)).toThrow(/not valid base64/);
    // The same number of characters as 16×8 (16 bytes) but 18 bytes: told apart by the padding.
    const eighteen = encodeStaticCells(cellsOf(16, 9, () => true));
    expect(eighteen).toHaveLength(encodedStaticCellsLength(16, 8));
    expect(() => decodeStaticCells(eighteen, 16, 8)).toThrow(/not the 16 bytes/);
    expect(() => decodeStaticCells("AA*A", 8, 2)).toThrow(/base64/);
    expect(() => decodeStaticCells("", 0, 4)).toThrow(/not possible/);
  });

  it("is strict and bounded in camera health", () => {
    const zone = { zoneId: "kerb", width: 16, height: 8, region: [0.1, 0.5, 0.4, 0.8], cells: encodeStaticCells(cellsOf(16, 8, () => false)) };
    const masks = { at: "2026-11-20T08:00:00.000Z", zones: [zone] };
    expect(staticMasksSchema.parse(masks).zones[0].zoneId).toBe("kerb");
    const health = {
      cameraId: "c",
      edgeId: "e",
      state: "streaming",
      framesInPerSec: 1,
      sampledPerSec: 1,
      detectedPerSec: 1,
      lastFrameAt: null,
      restarts: 0,
      restartsLastHour: 0,
      lastError: null,
      at: masks.at,
    };
    expect(cameraHealthSchema.parse({ ...health, staticMasks: masks }).staticMasks).toEqual(masks);
    expect(cameraHealthSchema.parse(health).staticMasks, "older edges send none").toBeUndefined();
    const refused = (z: Record<string, unknown>) => !staticMasksSchema.safeParse({ ...masks, zones: [{ ...zone, ...z }] }).success;
    expect(refused({ cells: encodeStaticCells(cellsOf(16, 9, () => false)) }), "cells of another grid").toBe(true);
    expect(refused({ width: 161 }), "wider than the detector's grid").toBe(true);
    expect(refused({ region: [0.4, 0.5, 0.1, 0.8] }), "inverted region").toBe(true);
    expect(refused({ region: [0, 0, 1.2, 1] }), "outside the frame").toBe(true);
    expect(refused({ zoneId: "a b" }), "not a zone id").toBe(true);
    expect(refused({ extra: 1 }), "unknown field").toBe(true);
    expect(staticMasksSchema.safeParse({ ...masks, zones: Array(33).fill(zone) }).success, "more zones than a camera has").toBe(false);
  });
});
