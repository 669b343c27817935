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

/** Time constant of the pavement's learned brightness and colour (seconds). */
const APPEARANCE_SECONDS = 20;
/** Brightness changes within this ratio are learned as daylight; darker ones are kept out (shadows). */
const DAYLIGHT_BAND = 0.8;
/** A shadowed surface keeps this much of its light, at least and at most. */
const SHADOW_RATIO_MIN = 0.2;
const SHADOW_RATIO_MAX = 0.92;
/** Largest change of chromaticity (sum of the two shares' changes, ×255) a shadow may cause. */
const SHADOW_CHROMA_TOLERANCE = 14;
/** A shadow blob: at most this share of its changed pixels changed otherwise (colour, brighter)… */
const SHADOW_MAX_OTHER = 0.34;
/** …and at least this share of the darkened pavement around it kept its texture. */
const SHADOW_MIN_TEXTURE_KEPT = 0.4;
/** Grid cells around a blob looked at for shadowed pavement that kept its texture. */
const SHADOW_CONTEXT = 3;
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
  /** 3×3 neighbourhood sums of dLong / dShort (and a row-sum scratch buffer). */
  private readonly boxLong: Uint16Array;
  private readonly boxShort: Uint16Array;
  private readonly rowSums: Uint16Array;
  /** The empty pavement's appearance, learned with the long-term model: mean luma and chromaticity (NaN: not known yet). */
  private readonly bgLuma: Float32Array;
  private readonly bgChroma: Float32Array;
  /** The sample being processed (its luma and chromaticity feed the shadow test). */
  private current: GrayImage | null = null;
  /** Static blobs set aside as cast shadows, since start. */
  shadowsSuppressed = 0;
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
    this.boxLong = new Uint16Array(this.n);
    this.boxShort = new Uint16Array(this.n);
    this.rowSums = new Uint16Array(this.n);
    this.bgLuma = new Float32Array(this.n).fill(Number.NaN);
    this.bgChroma = new Float32Array(this.n * 2).fill(Number.NaN);
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
      this.learnAppearance(reference, i, 1);
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
    this.current = img;
    const { longBits, shortBits, dLong, dShort } = this;
    for (let i = 0; i < this.n; i++) {
      dLong[i] = popcount16((codes[i] ^ longBits.ones[i]) & longBits.confident[i]);
      dShort[i] = popcount16((codes[i] ^ shortBits.ones[i]) & shortBits.confident[i]);
    }
    if (this.started && this.cameraMoved()) this.relearn();
    boxSum3(dLong, this.width, this.height, this.rowSums, this.boxLong);
    boxSum3(dShort, this.width, this.height, this.rowSums, this.boxShort);
    const { boxLong, boxShort } = this;
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
        const fgLong = dLong[i] >= 2 && boxLong[i] >= 12;
        const learned = this.observedSec[i] >= this.opts.warmupSeconds;
        if (!learned) {
          // Warm-up: a running mean, so passers-by at start are outvoted by the pavement.
          this.observedSec[i] += dt;
          const k = Math.max(dt / this.opts.longSeconds, dt / Math.max(dt, this.observedSec[i]));
          updateBits(longBits, i, codes[i], first ? 1 : k);
          this.learnAppearance(img, i, first ? 1 : k);
          continue;
        }
        if (fgLong && boxShort[i] < 12) this.staticSec[i] += dt;
        else if (!fgLong) this.staticSec[i] = Math.max(0, this.staticSec[i] - 2 * dt);
        // Selective update: the pavement model learns only the pavement, unless a change has
        // stayed so long that it is the new pavement.
        if (i % LONG_STRIDE === phase && (!fgLong || this.staticSec[i] >= this.opts.absorbSeconds)) {
          const rate = Math.min(1, (LONG_STRIDE * dt) / this.opts.longSeconds);
          updateBits(longBits, i, codes[i], rate);
          // Appearance follows the daylight faster than structure, but never learns a shadow.
          if (this.followsDaylight(img, i)) this.learnAppearance(img, i, Math.min(1, (LONG_STRIDE * dt) / APPEARANCE_SECONDS));
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
    this.bgLuma.fill(Number.NaN);
    this.bgChroma.fill(Number.NaN);
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
      const pixels: number[] = [];
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
          pixels.push(i);
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
      if (this.isCastShadow(pixels, [x1, y1, x2 + 1, y2 + 1])) {
        this.shadowsSuppressed++;
        continue;
      }
      const ageSeconds = ageSum / count;
      const over = (ageSeconds - this.opts.minStaticSeconds) / this.opts.minStaticSeconds;
      blobs.push({ box: [x1, y1, x2 + 1, y2 + 1], score: 0.5 + 0.5 * Math.max(0, Math.min(1, over)), areaFraction, ageSeconds });
    }
    return blobs;
  }

  /** Close enough to the learned brightness to be daylight drifting, not a shadow arriving. */
  private followsDaylight(img: GrayImage, i: number): boolean {
    const bg = this.bgLuma[i];
    if (Number.isNaN(bg)) return true;
    const ratio = (img.data[i] + 1) / (bg + 1);
    return ratio >= DAYLIGHT_BAND && ratio <= 1 / DAYLIGHT_BAND;
  }

  private learnAppearance(img: GrayImage, i: number, rate: number): void {
    const l = img.data[i];
    this.bgLuma[i] = Number.isNaN(this.bgLuma[i]) ? l : this.bgLuma[i] + rate * (l - this.bgLuma[i]);
    if (!img.chroma) return;
    for (let c = 0; c < 2; c++) {
      const v = img.chroma[2 * i + c];
      const j = 2 * i + c;
      this.bgChroma[j] = Number.isNaN(this.bgChroma[j]) ? v : this.bgChroma[j] + rate * (v - this.bgChroma[j]);
    }
  }

  /** How a pixel's appearance differs from the pavement's: a shadow darkens it and keeps its colour. */
  private appearanceChange(i: number): "unknown" | "unchanged" | "shadowed" | "other" {
    const img = this.current;
    const bg = this.bgLuma[i];
    if (!img || Number.isNaN(bg)) return "unknown";
    const ratio = (img.data[i] + 1) / (bg + 1);
    const b0 = this.bgChroma[2 * i];
    const keepsColour =
      img.chroma !== undefined &&
      !Number.isNaN(b0) &&
      Math.abs(img.chroma[2 * i] - b0) + Math.abs(img.chroma[2 * i + 1] - this.bgChroma[2 * i + 1]) <= SHADOW_CHROMA_TOLERANCE;
    if (ratio > SHADOW_RATIO_MAX && ratio < 1 / SHADOW_RATIO_MAX) return keepsColour ? "unchanged" : "other";
    if (ratio >= SHADOW_RATIO_MIN && ratio <= SHADOW_RATIO_MAX && keepsColour) return "shadowed";
    return "other";
  }

  /**
   * A cast shadow (of a tree, an awning, a parked truck outside the zone) changes the structure
   * codes only along its edge: inside it the pavement keeps its texture and colour and is
   * uniformly darker. A blob whose changed pixels are darker with the same colour, in a
   * neighbourhood where the darkened pavement kept its texture, is such a shadow. A flat grey
   * object on flat grey pavement looks the same, and is given up for it.
   */
  private isCastShadow(pixels: number[], box: [number, number, number, number]): boolean {
    let shadowed = 0;
    let other = 0;
    for (const i of pixels) {
      const a = this.appearanceChange(i);
      if (a === "shadowed") shadowed++;
      else if (a === "other" || a === "unknown") other++;
    }
    if (shadowed < 3 || other > (shadowed + other) * SHADOW_MAX_OTHER) return false;
    // Around the blob: darkened pavement must have kept its texture (an object would hide it).
    const w = this.width;
    const x1 = Math.max(0, box[0] - SHADOW_CONTEXT);
    const y1 = Math.max(0, box[1] - SHADOW_CONTEXT);
    const x2 = Math.min(w, box[2] + SHADOW_CONTEXT);
    const y2 = Math.min(this.height, box[3] + SHADOW_CONTEXT);
    let darkened = 0;
    let textureKept = 0;
    for (let y = y1; y < y2; y++) {
      for (let x = x1; x < x2; x++) {
        const i = y * w + x;
        if (this.appearanceChange(i) !== "shadowed") continue;
        darkened++;
        if (this.dLong[i] <= 1) textureKept++;
      }
    }
    return darkened >= 4 && textureKept >= darkened * SHADOW_MIN_TEXTURE_KEPT;
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

/** Sum over each pixel's 3×3 neighbourhood (clipped at the borders), in two separable passes. */
function boxSum3(d: Uint8Array, w: number, h: number, rows: Uint16Array, out: Uint16Array): void {
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) rows[r + x] = d[r + x] + (x > 0 ? d[r + x - 1] : 0) + (x < w - 1 ? d[r + x + 1] : 0);
  }
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) out[r + x] = rows[r + x] + (y > 0 ? rows[r + x - w] : 0) + (y < h - 1 ? rows[r + x + w] : 0);
  }
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
