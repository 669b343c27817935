import { useCallback, useRef, useState } from "react";
import { get, put } from "../api/client.ts";
import type { Shop } from "../api/types.ts";
import type { Zone } from "../../../contracts/edge-config.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useAction, useLoad } from "../shell/feedback.tsx";
import { cameraApi } from "./camera-api.ts";
import { ZoneCanvas, type DrawMode } from "./ZoneCanvas.tsx";
import { ruleFieldLabel, RuleForm } from "./RuleForm.tsx";
import { ScheduleGrid } from "./ScheduleGrid.tsx";
import { useStaticMasks, type StaticMaskState } from "./static-masks.ts";
import { useZoneActivity } from "./zone-activity.ts";
import { ZoneActivityBoxes, ZoneActivityPanel } from "./ZoneActivityPanel.tsx";
import { draftFromZone, newZoneDraft, polygonProblem, toZone, withoutRepeats, type Point, type ZoneDraft, type ZoneProblem } from "./zone-draft.ts";

/** Draw zones over a current frame, set each zone's rule and arming schedule, save them all at once. */
export function ZoneEditor({ cameraId, initial }: { cameraId: string; initial: Zone[] }) {
  const { t } = useI18n();
  const [zones, setZones] = useState<ZoneDraft[]>(() => initial.map(draftFromZone));
  const [showStatic, setShowStatic] = useState(false);
  const statics = useStaticMasks(cameraId, showStatic);
  const [selectedId, setSelectedId] = useState<string | null>(initial[0]?.id ?? null);
  const [showActivity, setShowActivity] = useState(false);
  const activity = useZoneActivity(cameraId, showActivity && selectedId !== null);
  const [mode, setMode] = useState<DrawMode>(null);
  const [pending, setPending] = useState<Point[]>([]);
  const [snapshotUrl, setSnapshotUrl] = useState<string | null>(() => cameraApi.snapshotUrl(cameraId));
  const [snapshotFailed, setSnapshotFailed] = useState(false);
  const [problems, setProblems] = useState<ZoneProblem[]>([]);
  // Why the shape being drawn cannot be finished yet; said next to the canvas, drawing goes on.
  const [drawProblem, setDrawProblem] = useState<ZoneProblem["code"] | null>(null);
  // The zone selected before a new one was begun: selected again when that drawing is cancelled.
  const selectedBefore = useRef<string | null>(null);
  const [saved, setSaved] = useState(false);
  const shops = useLoad((signal) => get<Shop[]>("/shops", signal), []);
  const save = useAction();
  const capture = useAction();
  const [captured, setCaptured] = useState<{ zoneId: string; version: number } | null>(null);
  const selected = zones.find((z) => z.id === selectedId) ?? null;

  const update = (z: ZoneDraft) => {
    setSaved(false);
    setZones((all) => all.map((x) => (x.id === selectedId ? z : x)));
    setSelectedId(z.id);
  };

  const start = (m: DrawMode) => {
    if (m === "polygon" && (!selected || selected.polygon.length)) {
      selectedBefore.current = selectedId;
      const d = newZoneDraft(zones.length + 1);
      while (zones.some((z) => z.id === d.id)) d.id += "x";
      setZones((all) => [...all, d]);
      setSelectedId(d.id);
    }
    setPending([]);
    setDrawProblem(null);
    setMode(m);
  };

  /**
   * Ends drawing with the points clicked, if they make a valid shape: an area needs 3 corners
   * and edges that do not cross, a front line 2 points. Otherwise it says why and drawing goes
   * on, so a point can be undone or added.
   */
  const finish = useCallback(() => {
    const points = withoutRepeats(pending);
    const problem = mode === "polygon" ? polygonProblem(points) : mode === "frontline" && points.length < 2 ? "front_line" : null;
    if (problem) {
      setPending(points);
      setDrawProblem(problem);
      return;
    }
    setZones((all) =>
      all.map((z) => {
        if (z.id !== selectedId) return z;
        if (mode === "polygon") return { ...z, polygon: points };
        if (mode === "frontline") return { ...z, frontLine: points };
        return z;
      }),
    );
    setPending([]);
    setDrawProblem(null);
    setMode(null);
    setSaved(false);
  }, [mode, pending, selectedId]);

  /** Leaves drawing without changing the zone; a zone begun by this drawing and still without an area goes again. */
  const cancelDrawing = () => {
    if (mode === "polygon" && selected && selected.polygon.length === 0) {
      setZones((all) => all.filter((z) => z.id !== selected.id));
      setSelectedId(selectedBefore.current);
    }
    setPending([]);
    setDrawProblem(null);
    setMode(null);
  };

  const addPoint = (p: Point) => {
    setDrawProblem(null);
    if (mode === "streetside" && selected) {
      update({ ...selected, streetSidePoint: p });
      setMode(null);
      return;
    }
    setPending((ps) => [...ps, p]);
  };

  async function saveAll() {
    const results = zones.map(toZone);
    const errors = results.flatMap((r) => (r.ok ? [] : r.errors));
    setProblems(errors);
    if (errors.length) return;
    const valid = results.flatMap((r) => (r.ok ? [r.zone] : []));
    const ok = await save.run(async () => {
      await cameraApi.saveZones(cameraId, valid);
      // The shop registry keeps the front line it owns, so a shop's cases show where its line is.
      for (const z of valid)
        for (const r of z.rules)
          if (r.kind === "shop_overflow") {
            const shop = shops.value?.find((s) => s.id === r.shopId);
            if (shop)
              await put(`/shops/${encodeURIComponent(shop.id)}`, {
                name: shop.name,
                address: shop.address,
                licenceNo: shop.licenceNo ?? null,
                street: shop.street ?? null,
                cameraId,
                zoneId: z.id,
                frontLine: r.frontLine,
              });
          }
      return true;
    });
    if (ok) setSaved(true);
  }

  return (
    <section className="zone-editor" aria-label={t("Zone editor")}>
      <h3>{t("Zone editor")}</h3>
      <div className="zone-layout">
        <div className="zone-main">
          <div className="actions zone-tools">
            <button type="button" onClick={() => start("polygon")} aria-pressed={mode === "polygon"} disabled={mode !== null}>
              ⬠ {t("Draw polygon")}
            </button>
            {selected?.kind === "shop_overflow" && (
              <>
                <button type="button" onClick={() => start("frontline")} aria-pressed={mode === "frontline"} disabled={mode !== null}>
                  ╱ {t("Draw shop front line")}
                </button>
                <button type="button" onClick={() => start("streetside")} aria-pressed={mode === "streetside"} disabled={mode !== null}>
                  • {t("Mark street side")}
                </button>
              </>
            )}
            <button type="button" onClick={() => (setSnapshotFailed(false), setSnapshotUrl(cameraApi.snapshotUrl(cameraId)))}>
              ⟳ {t("Snapshot")}
            </button>
            <button type="button" className="static-toggle" onClick={() => setShowStatic((v) => !v)} aria-pressed={showStatic}>
              ◩ {t("Show static objects")}
            </button>
          </div>
          {/* Always there, so the canvas does not jump: what to do now, and while drawing the buttons to end it. */}
          <div className={mode ? "draw-bar drawing" : "draw-bar"} data-draw-mode={mode ?? ""}>
            {drawProblem ? (
              <span className="field-error draw-problem" role="alert" data-draw-problem={drawProblem}>
                {t(problemWords[drawProblem])}
              </span>
            ) : (
              <span className="draw-hint">
                {mode === "streetside"
                  ? t("Click a point on the street side of the shop front line")
                  : mode === "frontline"
                    ? t("Click along the shop front (at least 2 points), then press “Finish”")
                    : mode === "polygon"
                      ? t("Click the corners of the area (at least 3 points, edges must not cross), then press “Finish”")
                      : t("Choose a zone below, or draw a new one")}
              </span>
            )}
            {mode && (
              <span className="draw-buttons">
                {mode !== "streetside" && (
                  <button type="button" onClick={() => (setDrawProblem(null), setPending((p) => p.slice(0, -1)))} disabled={!pending.length}>
                    ↶ {t("Undo point")}
                  </button>
                )}
                <button type="button" onClick={cancelDrawing}>
                  {t("Cancel")}
                </button>
                {mode !== "streetside" && (
                  <button type="button" className="primary" onClick={finish} data-finish-drawing>
                    ✓ {t("Finish")} ({pending.length})
                  </button>
                )}
              </span>
            )}
          </div>
          {snapshotFailed && <p className="notice warn">{t("Snapshot unavailable")}</p>}
          <ZoneCanvas
            snapshotUrl={snapshotFailed ? null : snapshotUrl}
            zones={zones}
            selectedId={selectedId}
            mode={mode}
            pending={pending}
            onPoint={addPoint}
            onFinish={finish}
            onSelect={setSelectedId}
            onSnapshotError={() => setSnapshotFailed(true)}
            staticMasks={statics.kind === "ready" ? statics.zones : []}
          >
            <ZoneActivityBoxes state={activity} zoneId={selectedId} />
          </ZoneCanvas>
          <ul className="zone-tabs" aria-label={t("Zones")}>
            {zones.map((z) => (
              <li key={z.id}>
                <button type="button" className={z.id === selectedId ? "selected" : ""} onClick={() => setSelectedId(z.id)} disabled={mode !== null}>
                  {z.name || z.id} ({z.polygon.length})
                </button>
              </li>
            ))}
          </ul>
          <StaticMaskNotes state={statics} zones={zones} />
        </div>
        {selected && (
          <div className="zone-props">
            <RuleForm zone={selected} shops={shops.value ?? []} onChange={update} />
            <ScheduleGrid value={selected.schedule} onChange={(schedule) => update({ ...selected, schedule })} />
            <div className="reference-capture">
              <button
                type="button"
                disabled={capture.busy}
                title={t("Take it while the zone is clear; save the zone first")}
                onClick={() =>
                  void capture.run(async () => {
                    setCaptured(null);
                    const ref = await cameraApi.captureReference(cameraId, selected.id);
                    setCaptured({ zoneId: selected.id, version: ref.version });
                  })
                }
              >
                ▣ {t("Capture clear-pavement reference")}
              </button>
              {captured?.zoneId === selected.id && (
                <span className="notice ok">✓ {t("Reference captured (version {version})", { version: String(captured.version) })}</span>
              )}
              <ErrorNotice error={capture.error} />
            </div>
            <ZoneActivityPanel state={activity} open={showActivity} onToggle={() => setShowActivity((v) => !v)} zoneId={selected.id} />
            <button type="button" className="danger" onClick={() => (setZones((all) => all.filter((z) => z.id !== selected.id)), setSelectedId(null))}>
              {t("Delete zone")}
            </button>
          </div>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="notice error" role="alert">
          {problems.map((p) => (
            <li key={`${p.zoneId}-${p.code}-${p.field ?? ""}`} data-problem={p.code}>
              {zoneProblemText(p, t)}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={save.error} />
      <div className="actions">
        <button type="button" className="primary" disabled={save.busy} onClick={() => void saveAll()}>
          {t("Save zones")}
        </button>
        {saved && <span className="notice ok">✓ {t("Saved")}</span>}
      </div>
    </section>
  );
}

/** When the edge reported the masks and, per zone, whether anything stands there now, in plain words. */
function StaticMaskNotes({ state, zones }: { state: StaticMaskState; zones: ZoneDraft[] }) {
  const { t, lang } = useI18n();
  if (state.kind === "off") return null;
  if (state.kind === "loading") return <Spinner />;
  if (state.kind === "error") return <ErrorNotice error={state.error} />;
  if (state.kind === "not_reported")
    return (
      <p className="notice warn static-masks" data-static-masks="not_reported">
        {t("The edge worker has not reported static objects for this camera yet")}
      </p>
    );
  const nameOf = (zoneId: string) => zones.find((z) => z.id === zoneId)?.name || t("Zone {id}", { id: zoneId });
  const unreported = zones.filter((z) => z.polygon.length > 2 && !state.zones.some((m) => m.zoneId === z.id));
  return (
    <div className="static-masks" data-static-masks="ready">
      <p className="muted">
        {t("Static-object mask updated {t}", { t: formatTime(state.at, lang) })} ·{" "}
        {t("Magenta cells: what the edge counts as standing still in the zone (after about 15 s)")}
      </p>
      <ul>
        {state.zones.map((m) => (
          <li key={m.zoneId} data-zone-id={m.zoneId} data-static-cells={m.staticCells}>
            {nameOf(m.zoneId)}: {m.staticCells > 0 ? t("something stands here now (tinted)") : t("nothing stands here now")}
          </li>
        ))}
        {unreported.map((z) => (
          <li key={z.id} data-zone-id={z.id}>
            {nameOf(z.id)}: {t("not reported yet; save the zones and wait a few seconds")}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Each zone problem in words (English keys; zh.ts holds the Chinese). */
const problemWords: Record<ZoneProblem["code"], string> = {
  polygon_points: "the area needs at least 3 points",
  polygon_self_intersects: "the area's edges cross each other; redraw it without crossing",
  polygon_no_area: "the area has no surface (points in a line or repeated)",
  front_line: "draw the shop front line (at least 2 points)",
  street_side: "mark which side of the front line is the street",
  shop: "choose the linked shop",
  zone_id: "the ID may use only letters, digits, _ . - (at most 64)",
  event_code: "the event code must look like 05/01",
  field: "a rule parameter is out of range",
};

/** A zone problem in the person's language, naming the zone. */
function zoneProblemText(p: ZoneProblem, t: (phrase: string, vars?: Record<string, string | number>) => string): string {
  // The field by the label the form shows it under; a field the form does not show is not named.
  const field = p.field ? ruleFieldLabel(p.field) : undefined;
  return `${t("Zone {id}", { id: p.zoneId })}: ${t(problemWords[p.code])}${field ? ` (${t(field)})` : ""}`;
}
