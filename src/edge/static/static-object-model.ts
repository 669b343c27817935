import type { Box } from "../../contracts/roles.ts";
import type { GrayImage } from "./gray-image.ts";
import { CODE_BITS, popcount16, structureCodes } from "./structure-code.ts";

export interface StaticModelOptions {
  /** Time constant of the short-term model: what has not moved for about this long is "still". */
  shortSeconds: number;
  /** Time constant of the long-term (empty pavement) model. */
  longSeconds: number;
  /** Seconds a pixel must be observed before it can be claimed (no reference: the scene at start is background). */
  warmupSeconds: number;
  /** Seconds a pixel must differ from the background while still before it counts as a static object. */
  minStaticSeconds: number;
  /** After this long a static change is taken into the background (a permanent change of the scene). */
  absorbSeconds: number;
  /** Smallest blob reported, as a fraction of the zone's area. */
  minAreaFraction: number;
}

export const defaultStaticModelOptions: StaticModelOptions = {
  shortSeconds: 4,
  longSeconds: 600,
  warmupSeconds: 20,
  minStaticSeconds: 15,
  absorbSeconds: 3600,
  minAreaFraction: 0.002,
};

/** A blob of static foreground in grid coordinates, with its persistence score (0.5..1). */
export interface StaticBlob {
  box: Box;
  score: number;
  areaFraction: number;
  ageSeconds: number;
}

/** A model's bit is "confident" when its probability is this far from 0.5. */
const CONFIDENT = 0.3;
const LONG_STRIDE = 4;
/** A background pixel with this many confident set bits has structure (an edge, texture). */
const TEXTURED_BITS = 3;
/** More than this share of the background's structure changed at once: the camera moved. */
const MOVED_FRACTION = 0.5;
/** Too little structure to tell a moved camera from an occluded one. */
const MIN_TEXTURED = 32;

/**
 * Long-term / short-term background model over structure codes on a low-resolution grid.
 * Static foreground = differs from the long-term (empty pavement) model and agrees with the
 * short-term one: things that stopped and stay, not people passing by, not light changes
 * (the codes ignore brightness). Pixels covered by tracked people or moving vehicles are
 * frozen: they neither learn nor age.
 */
export class StaticObjectModel {
  readonly width: number;
  readonly height: number;
  private readonly n: number;
  private readonly longP: Float32Array;
  private readonly shortP: Float32Array;
  /** Per pixel, the model's code and which of its bits are confident, kept in step with the probabilities. */
  private readonly longBits: BitModel;
  private readonly shortBits: BitModel;
  private readonly observedSec: Float32Array;
  private readonly staticSec: Float32Array;
  private readonly codes: Uint16Array;
  private readonly dLong: Uint8Array;
  private readonly dShort: Uint8Array;
  private lastTMs: number | null = null;
  private samples = 0;
  private started = false;

  constructor(
    width: number,
    height: number,
    readonly opts: StaticModelOptions = defaultStaticModelOptions,
  ) {
    this.width = width;
    this.height = height;
    this.n = width * height;
    this.longP = new Float32Array(this.n * CODE_BITS).fill(0.5);
    this.shortP = new Float32Array(this.n * CODE_BITS).fill(0.5);
    this.longBits = { p: this.longP, ones: new Uint16Array(this.n), confident: new Uint16Array(this.n) };
    this.shortBits = { p: this.shortP, ones: new Uint16Array(this.n), confident: new Uint16Array(this.n) };
    this.observedSec = new Float32Array(this.n);
    this.staticSec = new Float32Array(this.n);
    this.codes = new Uint16Array(this.n);
    this.dLong = new Uint8Array(this.n);
    this.dShort = new Uint8Array(this.n);
  }

  /** Seeds the long-term model with a clear-pavement reference: what differs from it at start is found too. */
  setReference(reference: GrayImage): void {
    this.checkSize(reference);
    const codes = structureCodes(reference);
    for (let i = 0; i < this.n; i++) {
      for (let b = 0; b < CODE_BITS; b++) this.longP[i * CODE_BITS + b] = (codes[i] >> b) & 1 ? 0.95 : 0.05;
      this.longBits.ones[i] = codes[i];
      this.longBits.confident[i] = 0xffff;
      this.observedSec[i] = this.opts.warmupSeconds;
    }
  }

  /**
   * Takes one sample. `frozen` marks grid pixels covered by tracked people / moving vehicles
   * (1 = frozen). Returns the static-object blobs in grid coordinates.
   */
  update(img: GrayImage, tMs: number, frozen?: Uint8Array): StaticBlob[] {
    this.checkSize(img);
    const dt = this.lastTMs === null ? 0 : Math.max(0, Math.min(10, (tMs - this.lastTMs) / 1000));
    this.lastTMs = tMs;
    const codes = structureCodes(img, this.codes);
    const { longBits, shortBits, dLong, dShort } = this;
    for (let i = 0; i < this.n; i++) {
      dLong[i] = popcount16((codes[i] ^ longBits.ones[i]) & longBits.confident[i]);
      dShort[i] = popcount16((codes[i] ^ shortBits.ones[i]) & shortBits.confident[i]);
    }
    if (this.started && this.cameraMoved()) this.relearn();
    const w = this.width;
    const h = this.height;
    const first = !this.started;
    this.started = true;
    const aShort = first ? 1 : Math.min(1, dt / this.opts.shortSeconds);
    // The long-term model moves slowly: each sample updates one pixel in LONG_STRIDE, with the rate scaled up.
    const phase = this.samples++ % LONG_STRIDE;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        updateBits(shortBits, i, codes[i], aShort);
        if (frozen?.[i]) continue;
        const fgLong = dLong[i] >= 2 && neighbourhoodSum(dLong, w, h, x, y) >= 12;
        const moving = neighbourhoodSum(dShort, w, h, x, y) >= 12;
        const learned = this.observedSec[i] >= this.opts.warmupSeconds;
        if (!learned) {
          // Warm-up: a running mean, so passers-by at start are outvoted by the pavement.
          this.observedSec[i] += dt;
          const k = Math.max(dt / this.opts.longSeconds, dt / Math.max(dt, this.observedSec[i]));
          updateBits(longBits, i, codes[i], first ? 1 : k);
          continue;
        }
        if (fgLong && !moving) this.staticSec[i] += dt;
        else if (!fgLong) this.staticSec[i] = Math.max(0, this.staticSec[i] - 2 * dt);
        // Selective update: the pavement model learns only the pavement, unless a change has
        // stayed so long that it is the new pavement.
        if (i % LONG_STRIDE === phase && (!fgLong || this.staticSec[i] >= this.opts.absorbSeconds)) {
          updateBits(longBits, i, codes[i], Math.min(1, (LONG_STRIDE * dt) / this.opts.longSeconds));
        }
      }
    }
    return this.blobs();
  }

  /**
   * The view itself shifted (a drifting or PTZ camera): most of the background's structure no
   * longer matches, not a blob of it. Comparing against that background would turn every edge
   * of the scene into a "static object".
   */
  private cameraMoved(): boolean {
    let textured = 0;
    let changed = 0;
    for (let i = 0; i < this.n; i++) {
      if (popcount16(this.longBits.ones[i] & this.longBits.confident[i]) < TEXTURED_BITS) continue;
      textured++;
      if (this.dLong[i] >= 3) changed++;
    }
    return textured >= MIN_TEXTURED && changed > textured * MOVED_FRACTION;
  }

  /** Forget the background and learn it again (as at start without a reference). */
  private relearn(): void {
    this.longP.fill(0.5);
    this.longBits.ones.fill(0);
    this.longBits.confident.fill(0);
    this.observedSec.fill(0);
    this.staticSec.fill(0);
    this.started = false;
  }

  /** Grid mask of pixels currently counted as static objects (1 = static). */
  staticMask(): Uint8Array {
    const mask = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) mask[i] = this.staticSec[i] >= this.opts.minStaticSeconds ? 1 : 0;
    return mask;
  }

  private blobs(): StaticBlob[] {
    const core = this.staticMask();
    const w = this.width;
    const h = this.height;
    // Join fragments of one object (a flat-coloured object changes mostly along its outline).
    const joined = dilate(core, w, h, 2);
    const labels = new Int32Array(this.n).fill(-1);
    const blobs: StaticBlob[] = [];
    const stack: number[] = [];
    for (let s = 0; s < this.n; s++) {
      if (!joined[s] || labels[s] >= 0) continue;
      labels[s] = s;
      stack.push(s);
      let x1 = w,
        y1 = h,
        x2 = -1,
        y2 = -1,
        count = 0,
        ageSum = 0;
      while (stack.length) {
        const i = stack.pop() as number;
        const x = i % w;
        const y = (i - x) / w;
        if (core[i]) {
          if (x < x1) x1 = x;
          if (y < y1) y1 = y;
          if (x > x2) x2 = x;
          if (y > y2) y2 = y;
          count++;
          ageSum += this.staticSec[i];
        }
        for (const j of [i - 1, i + 1, i - w, i + w]) {
          if (j < 0 || j >= this.n || labels[j] >= 0 || !joined[j]) continue;
          if ((j === i - 1 || j === i + 1) && Math.floor(j / w) !== y) continue;
          labels[j] = s;
          stack.push(j);
        }
      }
      if (count === 0) continue;
      const areaFraction = ((x2 - x1 + 1) * (y2 - y1 + 1)) / this.n;
      if (areaFraction < this.opts.minAreaFraction) continue;
      const ageSeconds = ageSum / count;
      const over = (ageSeconds - this.opts.minStaticSeconds) / this.opts.minStaticSeconds;
      blobs.push({ box: [x1, y1, x2 + 1, y2 + 1], score: 0.5 + 0.5 * Math.max(0, Math.min(1, over)), areaFraction, ageSeconds });
    }
    return blobs;
  }

  private checkSize(img: GrayImage): void {
    if (img.width !== this.width || img.height !== this.height) {
      throw new Error(`static-object model is ${this.width}×${this.height}, image is ${img.width}×${img.height}`);
    }
  }
}

interface BitModel {
  p: Float32Array;
  ones: Uint16Array;
  confident: Uint16Array;
}

/** Moves each bit's probability towards the observed code, and refreshes the pixel's code/confidence masks. */
function updateBits(m: BitModel, i: number, code: number, alpha: number): void {
  if (alpha <= 0) return;
  const base = i * CODE_BITS;
  let ones = 0;
  let confident = 0;
  for (let b = 0; b < CODE_BITS; b++) {
    const q = m.p[base + b] + alpha * (((code >> b) & 1) - m.p[base + b]);
    m.p[base + b] = q;
    if (q > 0.5) ones |= 1 << b;
    if (q > 0.5 + CONFIDENT || q < 0.5 - CONFIDENT) confident |= 1 << b;
  }
  m.ones[i] = ones;
  m.confident[i] = confident;
}

function neighbourhoodSum(d: Uint8Array, w: number, h: number, x: number, y: number): number {
  let s = 0;
  for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
    for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) s += d[yy * w + xx];
  }
  return s;
}

function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) out[yy * w + xx] = 1;
      }
    }
  }
  return out;
}
