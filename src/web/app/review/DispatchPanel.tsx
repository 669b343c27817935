import type { CaseView, Suggestion } from "../api/types.ts";
import { get } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useLoad } from "../shell/feedback.tsx";

/** Confirmed case → one click (or digit key) dispatches to a suggested officer; enforcement needs a certified officer. */
export function DispatchPanel({ c, onDispatch, busy }: { c: CaseView; onDispatch: (assigneeId: string, task: "enforcement" | "dissuasion") => void; busy: boolean }) {
  const { t } = useI18n();
  const s = useLoad((signal) => get<{ suggestions: Suggestion[]; street: string | null; grid: string | null }>(`/cases/${c.id}/suggested-assignees`, signal), [c.id]);
  if (s.loading && !s.value) return <Spinner />;
  if (s.error) return <ErrorNotice error={s.error} onRetry={s.reload} />;
  const list = s.value?.suggestions ?? [];
  return (
    <section className="panel dispatch" aria-label={t("Suggested officers")}>
      <h3>
        {t("Suggested officers")} {s.value?.street && <small>· {s.value.street}</small>}
      </h3>
      {!list.length && <p className="empty">{t("No items")}</p>}
      <ul className="suggestions">
        {list.map((u, i) => {
          const task = u.canTakeEnforcement ? "enforcement" : "dissuasion";
          return (
            <li key={u.id}>
              <span>
                <b>{u.name}</b> · {t(u.role)} · {u.openTasks} {t("open tasks")} · {u.canTakeEnforcement ? t("certified") : t("no valid certificate")}
              </span>
              <button type="button" className="primary" disabled={busy} data-dispatch-to={u.id} onClick={() => onDispatch(u.id, task)}>
                {i < 9 && <kbd>{i + 1}</kbd>} {t("Dispatch")}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
