import { get, qs } from "../api/client.ts";
import type { Camera, CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useLoad } from "../shell/feedback.tsx";
import { Link } from "../shell/router.tsx";

const W = 900;
const H = 560;
const PAD = 40;

/**
 * An offline map: cameras placed by their coordinates on a plain plot (no map tiles to
 * download), each with its count of open cases, linking to the camera and the case list.
 */
export function MapScreen() {
  const { t } = useI18n();
  const cams = useLoad((signal) => get<Camera[]>("/cameras", signal), []);
  const open = useLoad((signal) => get<Page<CaseView>>(`/cases${qs({ state: "candidate,confirmed,dispatched,handled", limit: 200 })}`, signal), []);
  const placed = (cams.value ?? []).filter((c): c is Camera & { lat: number; lng: number } => c.lat != null && c.lng != null);
  const openBy = new Map<string, number>();
  for (const c of open.value?.items ?? []) openBy.set(c.cameraId, (openBy.get(c.cameraId) ?? 0) + 1);
  const lats = placed.map((c) => c.lat);
  const lngs = placed.map((c) => c.lng);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  // Equal scale on both axes (longitude shrunk by cos(latitude)) so distances look right.
  const k = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const span = Math.max((maxLng - minLng) * k, maxLat - minLat, 0.002);
  const scale = Math.min(W - 2 * PAD, H - 2 * PAD) / span;
  const x = (lng: number) => PAD + ((lng - minLng) * k + (span - (maxLng - minLng) * k) / 2) * scale;
  const y = (lat: number) => H - PAD - (lat - minLat + (span - (maxLat - minLat)) / 2) * scale;
  return (
    <section className="map-screen">
      <h2>{t("Map")}</h2>
      <p className="muted">{t("Cameras by their coordinates (works offline); the number is the camera's open cases")}</p>
      <ErrorNotice error={cams.error ?? open.error} onRetry={() => (cams.reload(), open.reload())} />
      {(cams.loading || open.loading) && !cams.value && <Spinner />}
      {cams.value && !placed.length && <p className="empty">{t("No camera has coordinates yet")}</p>}
      {placed.length > 0 && (
        <svg className="coordinate-map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("Map")}>
          <rect x={0} y={0} width={W} height={H} fill="#f6f8fb" stroke="#d5dbe3" />
          {placed.map((c) => {
            const n = openBy.get(c.id) ?? 0;
            return (
              <a key={c.id} href={`/admin/cameras/${encodeURIComponent(c.id)}`} data-map-camera={c.id}>
                <circle cx={x(c.lng)} cy={y(c.lat)} r={n ? 10 + Math.min(10, n) : 7} fill={n ? "#c62828" : "#1e6bb8"} opacity={0.85} />
                {n > 0 && (
                  <text x={x(c.lng)} y={y(c.lat) + 4} textAnchor="middle" fontSize={12} fill="#fff">
                    {n}
                  </text>
                )}
                <text x={x(c.lng) + 14} y={y(c.lat) - 10} fontSize={13} fill="#1d2733">
                  {c.name}
                </text>
              </a>
            );
          })}
        </svg>
      )}
      <ul className="map-legend">
        {placed.map((c) => (
          <li key={c.id}>
            <b>{c.name}</b> · {c.street ?? "—"} · {t("open cases")}: {openBy.get(c.id) ?? 0} · <Link to="/cases">{t("Cases")}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
