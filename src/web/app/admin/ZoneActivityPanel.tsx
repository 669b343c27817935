import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner } from "../shell/feedback.tsx";
import { detectionName, ruleStandingText, type ZoneActivityState } from "./zone-activity.ts";

/**
 * "What the edge sees now" for the selected zone: where each of its rules stands in plain words
 * (why the zone is quiet, or how long until it raises), and the objects the detector sees in it,
 * as the camera's edge last reported them. Refreshed by `useZoneActivity` while open.
 */
export function ZoneActivityPanel({ state, open, onToggle, zoneId }: { state: ZoneActivityState; open: boolean; onToggle: () => void; zoneId: string }) {
  const { t, lang } = useI18n();
  const zone = state.kind === "ready" ? state.activity.zones.find((z) => z.zoneId === zoneId) : undefined;
  return (
    <section className="zone-activity" data-zone-activity={open ? (state.kind === "ready" && !zone ? "zone_not_reported" : state.kind) : "closed"}>
      <button type="button" className="zone-activity-toggle" onClick={onToggle} aria-expanded={open}>
        ◉ {t("What the edge sees now")}
      </button>
      {open && state.kind === "loading" && <Spinner />}
      {open && state.kind === "error" && <ErrorNotice error={state.error} />}
      {open && state.kind === "not_reported" && <p className="notice warn">{t("The edge worker has not reported what it sees in this camera's zones yet")}</p>}
      {open && state.kind === "ready" && !zone && (
        <p className="notice warn">{t("This zone is not in the edge's report yet; save the zones and wait a few seconds")}</p>
      )}
      {open && state.kind === "ready" && zone && (
        <>
          <p className="muted">{t("Reported by the edge {t}", { t: formatTime(state.activity.at, lang) })}</p>
          <ul className="rule-standings">
            {zone.rules.map((r) => (
              <li key={r.ruleId} data-rule-id={r.ruleId} data-rule-state={r.state}>
                <strong className="rule-kind">
                  {t(r.kind)}
                  {zone.rules.length > 1 && ` · ${r.ruleId}`}
                </strong>{" "}
                <span className="rule-standing">{ruleStandingText(r, t)}</span>
              </li>
            ))}
          </ul>
          <h4>{t("Detected in this zone ({n})", { n: zone.detections.length })}</h4>
          {zone.detections.length === 0 ? (
            <p className="muted">{t("Nothing is detected in this zone now")}</p>
          ) : (
            <ul className="zone-detections">
              {zone.detections.map((d, i) => (
                <li key={i} data-role={d.role}>
                  <span className={`swatch role-${d.role}`} aria-hidden />
                  {detectionName(d, t, lang)} <span className="muted">{d.score.toFixed(2)}</span>
                </li>
              ))}
            </ul>
          )}
          <p className="muted">{t("Boxes on the picture: blue, people; yellow, gear, goods and furniture; magenta, static objects; grey, anything else")}</p>
        </>
      )}
    </section>
  );
}

/** The selected zone's detections as boxes over the snapshot (the zone canvas's 0..1 coordinates); nothing unless reported. */
export function ZoneActivityBoxes({ state, zoneId }: { state: ZoneActivityState; zoneId: string | null }) {
  if (state.kind !== "ready") return null;
  const zone = state.activity.zones.find((z) => z.zoneId === zoneId);
  if (!zone) return null;
  return (
    <g className="activity-boxes" data-zone-id={zone.zoneId}>
      {zone.detections.map(({ box: [x1, y1, x2, y2], role }, i) => (
        <rect key={i} className={`activity-box role-${role}`} x={x1} y={y1} width={x2 - x1} height={y2 - y1} />
      ))}
    </g>
  );
}
