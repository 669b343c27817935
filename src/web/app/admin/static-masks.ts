import { useMemo } from "react";
import { useEdgeReport } from "./edge-report.ts";
import { decodeStaticCells, type StaticMasks } from "../../../contracts/static-mask.ts";
import { cameraApi } from "./camera-api.ts";

/** One zone's mask, decoded for drawing. */
export interface StaticMaskView {
  zoneId: string;
  width: number;
  height: number;
  region: [number, number, number, number];
  cells: Uint8Array;
  /** How many cells are static (0: nothing stands in the zone now). */
  staticCells: number;
}

export type StaticMaskState =
  | { kind: "off" }
  | { kind: "loading" }
  | { kind: "ready"; at: string; zones: StaticMaskView[] }
  /** The edge has not reported masks for this camera (not running, older version, or not yet). */
  | { kind: "not_reported" }
  | { kind: "error"; error: unknown };

const loadMasks = (cameraId: string, signal: AbortSignal) => cameraApi.staticMasks(cameraId, signal);

/** The masks while `enabled`, refreshed as the edge reports them; "off" otherwise. */
export function useStaticMasks(cameraId: string, enabled: boolean): StaticMaskState {
  const report = useEdgeReport(cameraId, enabled, loadMasks, "static_masks_not_reported");
  return useMemo(() => (report.kind === "ready" ? { kind: "ready", at: report.value.at, zones: decoded(report.value) } : report), [report]);
}

function decoded(m: StaticMasks): StaticMaskView[] {
  return m.zones.flatMap((z) => {
    try {
      const cells = decodeStaticCells(z.cells, z.width, z.height);
      return [{ zoneId: z.zoneId, width: z.width, height: z.height, region: z.region, cells, staticCells: cells.reduce((n, c) => n + c, 0) }];
    } catch {
      // The server checked the length; a mask that still does not decode is left out rather than drawn wrong.
      return [];
    }
  });
}

/**
 * SVG path of the static cells in normalised frame coordinates (the zone canvas's viewBox is
 * 0..1): one rectangle per run of static cells in a row, so a solid object is a few runs, not
 * hundreds of cells. One path per zone fills the union once, so touching runs show no seams.
 */
export function staticMaskPath(m: Pick<StaticMaskView, "width" | "height" | "region" | "cells">): string {
  const [x1, y1, x2, y2] = m.region;
  const cw = (x2 - x1) / m.width;
  const ch = (y2 - y1) / m.height;
  const n = (v: number) => String(Math.round(v * 1e6) / 1e6);
  const parts: string[] = [];
  for (let row = 0; row < m.height; row++) {
    let col = 0;
    while (col < m.width) {
      if (!m.cells[row * m.width + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.width && m.cells[row * m.width + col]) col++;
      const left = x1 + start * cw;
      const right = x1 + col * cw;
      parts.push(`M${n(left)} ${n(y1 + row * ch)}H${n(right)}V${n(y1 + (row + 1) * ch)}H${n(left)}Z`);
    }
  }
  return parts.join("");
}
