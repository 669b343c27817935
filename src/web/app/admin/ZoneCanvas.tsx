import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";
import type { Point, ZoneDraft } from "./zone-draft.ts";
import { staticMaskPath, type StaticMaskView } from "./static-masks.ts";

export type DrawMode = "polygon" | "frontline" | "streetside" | null;

/**
 * Zones drawn over the camera's current frame. Coordinates are normalised (0..1) like the
 * edge contract, so the drawing is independent of the stream's resolution.
 */
export function ZoneCanvas({
  snapshotUrl,
  zones,
  selectedId,
  mode,
  pending,
  onPoint,
  onFinish,
  onSelect,
  onSnapshotError,
  staticMasks = [],
  children,
}: {
  snapshotUrl: string | null;
  zones: ZoneDraft[];
  selectedId: string | null;
  mode: DrawMode;
  pending: Point[];
  onPoint: (p: Point) => void;
  onFinish: () => void;
  onSelect: (id: string) => void;
  onSnapshotError: () => void;
  /** The edge's static-object cells, tinted over the snapshot (empty: not shown). */
  staticMasks?: StaticMaskView[];
  /** More drawing over the snapshot, in the same 0..1 coordinates (the edge's detections). */
  children?: ReactNode;
}) {
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (mode && e.key === "Enter") {
        // Enter also "clicks" whichever button has focus (often the draw button itself): finishing is all it should do.
        e.preventDefault();
        onFinish();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [mode, onFinish]);

  function toPoint(e: MouseEvent): Point {
    const r = svg.current!.getBoundingClientRect();
    const clamp = (v: number) => Math.min(1, Math.max(0, Math.round(v * 10000) / 10000));
    return [clamp((e.clientX - r.left) / r.width), clamp((e.clientY - r.top) / r.height)];
  }
  const pts = (p: Point[]) => p.map((x) => x.join(",")).join(" ");

  return (
    <div className={["zone-canvas", mode && "drawing", staticMasks.length > 0 && "showing-static"].filter(Boolean).join(" ")}>
      {snapshotUrl ? <img src={snapshotUrl} alt="snapshot" onError={onSnapshotError} /> : <div className="snapshot-placeholder" />}
      <svg
        ref={svg}
        viewBox="0 0 1 1"
        preserveAspectRatio="none"
        data-testid="zone-canvas"
        onClick={(e) => mode && onPoint(toPoint(e))}
        onDoubleClick={(e) => {
          e.preventDefault();
          if (mode) onFinish();
        }}
      >
        {zones.map((z) => (
          <g key={z.id} className={z.id === selectedId ? "zone selected" : "zone"} onClick={() => !mode && onSelect(z.id)}>
            {z.polygon.length > 2 && <polygon points={pts(z.polygon)} />}
            {z.kind === "shop_overflow" && z.frontLine.length > 1 && <polyline points={pts(z.frontLine)} className="front-line" />}
            {z.streetSidePoint && z.kind === "shop_overflow" && (
              <circle cx={z.streetSidePoint[0]} cy={z.streetSidePoint[1]} r={0.008} className="street-side" />
            )}
          </g>
        ))}
        {staticMasks
          .filter((m) => m.staticCells > 0)
          .map((m) => (
            <path key={m.zoneId} className="static-mask" d={staticMaskPath(m)} data-zone-id={m.zoneId} data-static-cells={m.staticCells} />
          ))}
        {children}
        {pending.length > 0 && (
          <g className="pending">
            <polyline points={pts(mode === "polygon" && pending.length > 2 ? [...pending, pending[0]] : pending)} />
            {pending.map((p, i) => (
              <circle key={i} cx={p[0]} cy={p[1]} r={0.006} />
            ))}
          </g>
        )}
      </svg>
    </div>
  );
}
