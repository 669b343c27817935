import type { Zone } from "../../contracts/edge-config.ts";
import { pointInPolygon } from "../rules/zone-geometry.ts";

/** Side of a cell of the low-resolution grid, in detector-input pixels. */
const CELL = 8;
/** A cell changed when its mean brightness moved by more than this (0..255); H.264 noise on a still scene stays well below. */
const CELL_DELTA = 12;
/** Changed cells needed to call the zones changed: a person far away covers a handful of 8-px cells at 416 px. */
const MIN_CHANGED_CELLS = 3;

export interface ChangeVerdict {
  changed: boolean;
  changedCells: number;
}

/**
 * Has anything changed inside the camera's zones since the last detection? A cheap frame
 * difference at low resolution: the frame (already scaled for the detector) is reduced to
 * 8×8-pixel cell means, only cells whose centre lies in a zone count, and the reference is
 * the frame of the last detection (not the previous sample), so a slow change still adds up.
 */
export class ChangeGate {
  private mask: Uint8Array;
  private cols: number;
  private rows: number;
  private current: Float32Array;
  private reference: Float32Array | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    zones: readonly Pick<Zone, "polygon">[],
    /** Where the picture sits on the frame (top-left); smaller than the frame on a padded canvas. */
    private readonly content: { width: number; height: number } = { width, height },
  ) {
    this.cols = Math.floor(width / CELL);
    this.rows = Math.floor(height / CELL);
    this.current = new Float32Array(this.cols * this.rows);
    this.mask = new Uint8Array(this.cols * this.rows);
    this.setZones(zones);
  }

  /** Zones changed (config): the cells that count follow, and the next sample is detected. */
  setZones(zones: readonly Pick<Zone, "polygon">[]): void {
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const p: [number, number] = [((c + 0.5) * CELL) / this.content.width, ((r + 0.5) * CELL) / this.content.height];
        this.mask[r * this.cols + c] = zones.some((z) => pointInPolygon(p, z.polygon as [number, number][])) ? 1 : 0;
      }
    }
    this.reference = null;
  }

  /** Compares a frame (interleaved 8-bit, 3 channels, width×height) with the last detected one. */
  check(pixels: Uint8Array): ChangeVerdict {
    this.summarise(pixels, this.current);
    const ref = this.reference;
    if (!ref) return { changed: true, changedCells: this.mask.length };
    let changedCells = 0;
    for (let i = 0; i < this.current.length; i++) {
      if (this.mask[i] && Math.abs(this.current[i] - ref[i]) > CELL_DELTA) changedCells++;
    }
    return { changed: changedCells >= MIN_CHANGED_CELLS, changedCells };
  }

  /** The frame last passed to `check` was detected: it is the new reference. */
  detected(): void {
    if (!this.reference) this.reference = new Float32Array(this.current.length);
    this.reference.set(this.current);
  }

  /** Mean of the three channels over each zone cell (cells outside the zones are left alone). */
  private summarise(px: Uint8Array, out: Float32Array): void {
    const stride = this.width * 3;
    const norm = 1 / (CELL * CELL * 3);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c;
        if (!this.mask[i]) continue;
        let sum = 0;
        let row = r * CELL * stride + c * CELL * 3;
        for (let y = 0; y < CELL; y++, row += stride) {
          for (let x = row, end = row + CELL * 3; x < end; x++) sum += px[x];
        }
        out[i] = sum * norm;
      }
    }
  }
}
