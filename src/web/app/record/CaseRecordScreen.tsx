import { get } from "../api/client.ts";
import type { AuditEntry, CaseDetail } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useLoad } from "../shell/feedback.tsx";

/** What an entry changed, in one short line: the fields it recorded after the action. */
function summary(e: AuditEntry): string {
  const after = e.after as Record<string, unknown> | null;
  if (!after || typeof after !== "object") return "";
  return Object.entries(after)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(" · ");
}

/** The case's full-process record (执法全过程记录): every action, who did it, when, and its place in the hash chain. */
export function CaseRecordScreen({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const c = useLoad((signal) => get<CaseDetail>(`/cases/${caseId}`, signal), [caseId]);
  const record = useLoad((signal) => get<{ chain: string; entries: AuditEntry[] }>(`/cases/${caseId}/record`, signal), [caseId]);
  return (
    <section className="record">
      <h2>
        {t("Full-process record")} {c.value && `· ${c.value.number}`} {c.value && <span className={`badge state-${c.value.state}`}>{t(c.value.state)}</span>}
      </h2>
      <button type="button" onClick={() => history.back()}>
        {t("Back")}
      </button>
      <ErrorNotice error={record.error ?? c.error} onRetry={record.reload} />
      {record.loading && !record.value && <Spinner />}
      {record.value && (
        <table className="table audit">
          <thead>
            <tr>
              <th>#</th>
              <th>{t("Time")}</th>
              <th>{t("Actor")}</th>
              <th>{t("Action")}</th>
              <th>{t("Details")}</th>
              <th>hash</th>
            </tr>
          </thead>
          <tbody>
            {record.value.entries.map((e) => (
              <tr key={e.seq} data-action={e.action}>
                <td>{e.seq}</td>
                <td>{formatTime(e.at, lang)}</td>
                <td>{e.actorId}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="wrap">
                  {summary(e)}
                  {e.evidenceSha256 && <span className="muted"> sha256 {e.evidenceSha256.slice(0, 12)}…</span>}
                </td>
                <td>
                  <code title={e.hash}>{e.hash.slice(0, 10)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
