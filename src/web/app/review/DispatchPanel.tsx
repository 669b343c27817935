import type { CaseView, SuggestedAssignees } from "../api/types.ts";
import { get, qs } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useLoad } from "../shell/feedback.tsx";
import { AssigneeFields, useAssigneePick, type Task } from "./AssigneePicker.tsx";

type Staff = SuggestedAssignees;

/**
 * Confirmed case → one click (or digit key) dispatches to a suggested officer; enforcement needs
 * a certified officer. When nobody of the camera's street or grid fits, the operator picks
 * anyone from all field staff, with the same certificate check.
 */
export function DispatchPanel({ c, onDispatch, busy }: { c: CaseView; onDispatch: (assigneeId: string, task: Task) => void; busy: boolean }) {
  const { t } = useI18n();
  const s = useLoad((signal) => get<Staff>(`/cases/${c.id}/suggested-assignees`, signal), [c.id]);
  if (s.loading && !s.value) return <Spinner />;
  if (s.error) return <ErrorNotice error={s.error} onRetry={s.reload} />;
  const list = s.value?.suggestions ?? [];
  return (
    <section className="panel dispatch" aria-label={t("Suggested officers")}>
      <h3>
        {t("Suggested officers")} {s.value?.street && <small>· {s.value.street}</small>}
      </h3>
      {!list.length && <p className="notice warn">{t("Nobody is responsible for this camera's street or grid; choose a person below")}</p>}
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
      <ManualPick caseId={c.id} busy={busy} onDispatch={onDispatch} />
    </section>
  );
}

/** Anyone of the field staff, by name; an enforcement task only to an officer with a valid certificate. */
function ManualPick({ caseId, busy, onDispatch }: { caseId: string; busy: boolean; onDispatch: (assigneeId: string, task: Task) => void }) {
  const { t } = useI18n();
  const all = useLoad((signal) => get<Staff>(`/cases/${caseId}/suggested-assignees${qs({ scope: "all" })}`, signal), [caseId]);
  const staff = all.value?.suggestions ?? [];
  const pick = useAssigneePick(staff);
  const { person, blocked, task } = pick;
  return (
    <fieldset className="manual-dispatch">
      <legend>{t("Choose another person")}</legend>
      <ErrorNotice error={all.error} onRetry={all.reload} />
      <AssigneeFields staff={staff} pick={pick} names={{ person: "manualAssignee", task: "manualTask" }} />
      <button
        type="button"
        className="primary"
        disabled={busy || !person || blocked}
        data-manual-dispatch
        onClick={() => person && onDispatch(person.id, task)}
      >
        {t("Dispatch")}
      </button>
    </fieldset>
  );
}
