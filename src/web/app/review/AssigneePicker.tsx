import { useState } from "react";
import type { Suggestion, TaskKind } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";

export type Task = TaskKind;

/** A person and a task chosen from the field staff; an enforcement task only for an officer with a valid certificate. */
export function useAssigneePick(staff: Suggestion[]) {
  const [who, setWho] = useState("");
  const [task, setTask] = useState<Task>("enforcement");
  const person = staff.find((u) => u.id === who);
  const blocked = person !== undefined && task === "enforcement" && !person.canTakeEnforcement;
  return { who, setWho, task, setTask, person, blocked };
}

/** The person and task pickers, and why the pair cannot be dispatched; `names` are the fields' form names. */
export function AssigneeFields({
  staff,
  pick,
  names,
  autoFocus = false,
}: {
  staff: Suggestion[];
  pick: ReturnType<typeof useAssigneePick>;
  names: { person: string; task: string };
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t("Person")}
        <select name={names.person} value={pick.who} onChange={(e) => pick.setWho(e.target.value)} autoFocus={autoFocus}>
          <option value="">—</option>
          {staff.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} · {t(u.role)} · {u.canTakeEnforcement ? t("certified") : t("no valid certificate")} · {u.openTasks} {t("open tasks")}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("Task")}
        <select name={names.task} value={pick.task} onChange={(e) => pick.setTask(e.target.value as Task)}>
          <option value="enforcement">{t("enforcement")}</option>
          <option value="dissuasion">{t("dissuasion")}</option>
        </select>
      </label>
      {pick.blocked && (
        <p className="field-error">{t("An enforcement task needs an officer with a valid certificate; choose a dissuasion task or another person")}</p>
      )}
    </>
  );
}
