import { useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import type { DetectedObject } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";

/** One way of looking at the picture: the edge's annotated file, or the plain one with or without our boxes drawn over it. */
export interface LightboxView {
  href: string;
  /** "annotated" or "plain": what the toggle calls it. */
  kind: "annotated" | "plain";
  /** Draw the detected objects (with their labels) and the zone over it: a plain snapshot has no boxes of its own. */
  overlay: boolean;
}

const MIN_SCALE = 1;
const MAX_SCALE = 8;
const STEP = 1.4;

interface View {
  scale: number;
  x: number;
  y: number;
}

/**
 * A snapshot full-screen, to read a stall's goods or a licence plate: zoom with the wheel, the
 * +/− buttons, the keys + − 0 or two fingers; drag to pan; Esc or ✕ closes. When there are two
 * views (annotated / plain) a toggle switches between them and keeps the zoom. The picture is
 * scaled by a CSS transform, and our labels are SVG text, so they stay sharp when zoomed in.
 */
export function SnapshotLightbox({
  views,
  objects,
  zone,
  title,
  onClose,
}: {
  views: LightboxView[];
  objects?: DetectedObject[] | null;
  zone?: [number, number][] | null;
  title: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [index, setIndex] = useState(0);
  const current = views[Math.min(index, views.length - 1)];
  const frame = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [box, setBox] = useState<{ w: number; h: number }>({ w: 0, h: 0 });
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const viewRef = useRef(view);
  viewRef.current = view;

  // The picture fitted into the frame at scale 1; the transform works from there.
  const fit = natural && box.w > 0 ? Math.min(box.w / natural.w, box.h / natural.h) : 0;
  const fitW = natural ? natural.w * fit : 0;
  const fitH = natural ? natural.h * fit : 0;
  const centred = useCallback((): View => ({ scale: 1, x: (box.w - fitW) / 2, y: (box.h - fitH) / 2 }), [box.w, box.h, fitW, fitH]);

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    const measure = () => setBox({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // A new size of the frame or the picture starts from the fitted view again.
  useLayoutEffect(() => setView(centred()), [centred]);

  /** Zoom to `scale`, keeping the point under (px, py) of the frame where it is. */
  const zoomAt = useCallback(
    (scale: number, px = box.w / 2, py = box.h / 2) => {
      const v = viewRef.current;
      const s = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
      if (s === MIN_SCALE) return setView(centred());
      const lx = (px - v.x) / v.scale;
      const ly = (py - v.y) / v.scale;
      setView({ scale: s, x: px - s * lx, y: py - s * ly });
    },
    [box.w, box.h, centred],
  );

  // The wheel needs a non-passive listener: the page behind must not scroll.
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(viewRef.current.scale * Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [zoomAt]);

  // Keys while open belong to the lightbox alone; focus goes back to what opened it.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    return () => {
      document.body.style.overflow = overflow;
      opener?.focus?.();
    };
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const handlers: Record<string, () => void> = {
        Escape: onClose,
        "+": () => zoomAt(viewRef.current.scale * STEP),
        "=": () => zoomAt(viewRef.current.scale * STEP),
        "-": () => zoomAt(viewRef.current.scale / STEP),
        "0": () => setView(centred()),
        t: () => setIndex((i) => (i + 1) % views.length),
      };
      const h = handlers[e.key];
      e.stopPropagation();
      if (h) {
        e.preventDefault();
        h();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [onClose, zoomAt, centred, views.length]);

  // Pointers: one drags the picture, two pinch (the zoom follows their distance, around their midpoint).
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ distance: number; scale: number } | null>(null);
  const local = (e: ReactPointerEvent) => {
    const r = frame.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const spread = () => {
    const [a, b] = [...pointers.current.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  };
  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>) {
    if ((e.target as HTMLElement).closest("button")) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    pointers.current.set(e.pointerId, local(e));
    if (pointers.current.size === 2) pinch.current = { distance: spread().distance, scale: viewRef.current.scale };
  }
  function onPointerMove(e: ReactPointerEvent<HTMLDivElement>) {
    const before = pointers.current.get(e.pointerId);
    if (!before) return;
    const p = local(e);
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size >= 2 && pinch.current) {
      const { distance, mid } = spread();
      if (pinch.current.distance > 0) zoomAt((pinch.current.scale * distance) / pinch.current.distance, mid.x, mid.y);
      return;
    }
    const v = viewRef.current;
    setView({ ...v, x: v.x + p.x - before.x, y: v.y + p.y - before.y });
  }
  function onPointerUp(e: ReactPointerEvent<HTMLDivElement>) {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
  }

  const W = natural?.w ?? 1;
  const H = natural?.h ?? 1;
  // The role in words, not the detector's class name (an English COCO label).
  const label = (o: DetectedObject) => `${t(o.role)} ${o.score.toFixed(2)}`;
  const fontSize = Math.max(10, H * 0.022);
  return (
    <div
      className="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={title}
      data-scale={view.scale.toFixed(3)}
      data-x={Math.round(view.x)}
      data-y={Math.round(view.y)}
      data-view={current.kind}
    >
      <div className="lightbox-bar">
        <span className="lightbox-title">{title}</span>
        {views.length > 1 && (
          <span className="segmented" role="tablist" aria-label={t("Snapshot")}>
            {views.map((v, i) => (
              <button key={v.kind} type="button" role="tab" aria-selected={i === index} data-lightbox-view={v.kind} onClick={() => setIndex(i)}>
                {t(v.kind === "annotated" ? "Annotated" : "Plain")}
              </button>
            ))}
          </span>
        )}
        <span className="lightbox-zoom">
          <button type="button" aria-label={t("Zoom out")} data-zoom="out" onClick={() => zoomAt(view.scale / STEP)} disabled={view.scale <= MIN_SCALE}>
            −
          </button>
          <span className="lightbox-scale">{Math.round(view.scale * 100)}%</span>
          <button type="button" aria-label={t("Zoom in")} data-zoom="in" onClick={() => zoomAt(view.scale * STEP)} disabled={view.scale >= MAX_SCALE}>
            +
          </button>
          <button type="button" data-zoom="fit" onClick={() => setView(centred())}>
            {t("Fit")}
          </button>
        </span>
        <span className="muted lightbox-hint">{t("Wheel or two fingers to zoom, drag to move, Esc to close")}</span>
        <button type="button" className="lightbox-close" aria-label={t("Close")} onClick={onClose} autoFocus>
          ✕ {t("Close")}
        </button>
      </div>
      <div
        ref={frame}
        className={view.scale > 1 ? "lightbox-frame zoomed" : "lightbox-frame"}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <div
          className="lightbox-stage"
          style={{
            width: fitW,
            height: fitH,
            transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
            visibility: natural ? "visible" : "hidden",
          }}
        >
          <img
            src={current.href}
            alt={title}
            draggable={false}
            onLoad={(e) => {
              const img = e.currentTarget;
              if (!natural || natural.w !== img.naturalWidth || natural.h !== img.naturalHeight) setNatural({ w: img.naturalWidth, h: img.naturalHeight });
            }}
          />
          {current.overlay && natural && (
            <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="lightbox-overlay" aria-hidden>
              {zone && zone.length > 2 && <polygon points={zone.map(([x, y]) => `${x * W},${y * H}`).join(" ")} className="zone-outline" />}
              {objects
                ?.filter((o) => o.box.every((v) => v >= 0 && v <= 1))
                .map((o, i) => (
                  <g key={i} className={`box-group role-${o.role}`}>
                    <rect x={o.box[0] * W} y={o.box[1] * H} width={(o.box[2] - o.box[0]) * W} height={(o.box[3] - o.box[1]) * H} className="box" />
                    <text x={o.box[0] * W} y={Math.max(fontSize, o.box[1] * H - fontSize * 0.3)} fontSize={fontSize} className="box-label">
                      {label(o)}
                    </text>
                  </g>
                ))}
            </svg>
          )}
        </div>
      </div>
    </div>
  );
}
