import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useLoad } from "../shell/feedback.tsx";
import { get } from "../api/client.ts";
import { cameraApi } from "./camera-api.ts";
import type { EdgeWorker } from "../api/types.ts";

/** Edge workers: what each last reported over MQTT (online, version, config revision, outbox backlog). */
export function EdgesScreen() {
  const { t, lang } = useI18n();
  const health = useLoad((signal) => cameraApi.health(signal), []);
  const registered = useLoad((signal) => get<EdgeWorker[]>("/edges", signal).catch(() => [] as EdgeWorker[]), []);
  const ids = [...new Set([...(registered.value ?? []).map((e) => e.id), ...(health.value?.edges ?? []).map((e) => e.edgeId)])];
  return (
    <section>
      <h2>{t("Edge workers")}</h2>
      <ErrorNotice error={health.error} onRetry={health.reload} />
      {health.loading && !health.value && <Spinner />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t("State")}</th>
              <th>{t("Version")}</th>
              <th>{t("Cameras")}</th>
              <th>config</th>
              <th>outbox</th>
              <th>{t("Last seen")}</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const s = health.value?.edges.find((e) => e.edgeId === id);
              return (
                <tr key={id}>
                  <td>{id}</td>
                  <td>
                    <span className={s?.state === "online" ? "badge ok" : "badge off"}>{s?.state === "online" ? t("Online") : t("Offline")}</span>
                  </td>
                  <td>{s?.version ?? "—"}</td>
                  <td>{s?.cameras.join(", ") || "—"}</td>
                  <td>
                    {s?.configRevision ?? "—"} {s?.configError && <span className="notice error">{s.configError}</span>}
                  </td>
                  <td>{s ? `${s.pendingCandidates ?? 0} / ${s.pendingEvidence ?? 0}` : "—"}</td>
                  <td>{formatTime(s?.at, lang)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
