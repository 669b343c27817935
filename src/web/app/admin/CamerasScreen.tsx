import type { Camera } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useLoad } from "../shell/feedback.tsx";
import { Link } from "../shell/router.tsx";
import { cameraApi } from "./camera-api.ts";

/** Every camera with what its edge last reported: streaming or not, frames per second, restarts. */
export function CamerasScreen() {
  const { t, lang } = useI18n();
  const cams = useLoad((signal) => cameraApi.list(signal), []);
  const health = useLoad((signal) => cameraApi.health(signal).catch(() => ({ edges: [], cameras: [] })), []);
  return (
    <section>
      <div className="screen-head">
        <h2>{t("Cameras")}</h2>
        <Link to="/admin/cameras/new" className="button-like primary">
          + {t("New camera")}
        </Link>
      </div>
      <ErrorNotice error={cams.error} onRetry={cams.reload} />
      {cams.loading && !cams.value && <Spinner />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t("Name")}</th>
              <th>{t("Street")}</th>
              <th>{t("Health")}</th>
              <th>fps</th>
              <th>{t("Restarts")}</th>
              <th>{t("Zones")}</th>
              <th>Art. 41</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(cams.value ?? []).map((c: Camera) => {
              const h = health.value?.cameras.find((x) => x.cameraId === c.id);
              const online = h?.state === "streaming";
              return (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>{c.name}</td>
                  <td>{c.street ?? "—"}</td>
                  <td>
                    <span className={online ? "badge ok" : "badge off"} title={h?.lastFrameAt ? formatTime(h.lastFrameAt, lang) : undefined}>
                      {h ? (online ? t("Online") : h.state) : t("Offline")}
                    </span>
                  </td>
                  <td>{h ? h.framesInPerSec.toFixed(1) : "—"}</td>
                  <td>{h?.restarts ?? "—"}</td>
                  <td>{Array.isArray(c.zones) ? c.zones.length : "—"}</td>
                  <td>{c.locationPublishedAt ? "✓" : "✕"}</td>
                  <td>
                    <Link to={`/admin/cameras/${encodeURIComponent(c.id)}`}>{t("Edit")}</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
