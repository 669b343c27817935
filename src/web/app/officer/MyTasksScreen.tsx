import { get, qs } from "../api/client.ts";
import type { Camera, CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useLoad } from "../shell/feedback.tsx";
import { Link } from "../shell/router.tsx";
import { useUser } from "../shell/session.tsx";
import { useCaseEvents } from "../review/useCaseEvents.ts";
import { distanceMetres, formatDistance } from "./geo.ts";
import { usePosition } from "./usePosition.ts";

/** The officer's phone: open tasks, nearest first when the phone knows where it is. */
export function MyTasksScreen() {
  const { t, lang } = useI18n();
  const user = useUser();
  const here = usePosition();
  const tasks = useLoad((signal) => get<Page<CaseView>>(`/cases${qs({ assigneeId: user.id, state: "dispatched,handled", limit: 50 })}`, signal), [user.id]);
  // Their own record of work: what they finished, newest first.
  const done = useLoad(
    (signal) => get<Page<CaseView>>(`/cases${qs({ assigneeId: user.id, state: "verified,closed", sort: "newest", limit: 30 })}`, signal),
    [user.id],
  );
  const cameras = useLoad((signal) => get<Camera[]>("/cameras", signal).catch(() => [] as Camera[]), []);
  useCaseEvents(() => (tasks.reload(), done.reload()));

  const rows = (tasks.value?.items ?? []).map((c) => {
    const cam = cameras.value?.find((x) => x.id === c.cameraId);
    const distance = here && cam?.lat != null && cam?.lng != null ? distanceMetres(here, { lat: cam.lat, lng: cam.lng }) : null;
    return { c, cam, distance };
  });
  rows.sort((a, b) => (a.c.state === b.c.state ? (a.distance ?? Infinity) - (b.distance ?? Infinity) : a.c.state === "dispatched" ? -1 : 1));

  return (
    <section className="tasks">
      <h2>{t("My tasks")}</h2>
      <ErrorNotice error={tasks.error} onRetry={tasks.reload} />
      {tasks.loading && !tasks.value && <Spinner />}
      {tasks.value && !rows.length && <p className="empty">{t("No tasks assigned to you")}</p>}
      <ul className="task-list">
        {rows.map(({ c, cam, distance }) => (
          <li key={c.id}>
            <Link to={`/tasks/${c.id}`} className="task-card">
              <span className="task-title">
                {c.number} · {t(c.rule)} <span className={`badge state-${c.state}`}>{t(c.state)}</span>
                {c.overdue && <span className="badge overdue">{t("Overdue")}</span>}
              </span>
              <span>{cam?.address ?? cam?.name ?? c.cameraId}</span>
              <span className="muted">
                {distance !== null ? t("{d} away", { d: formatDistance(distance) }) : t("Location unknown")} · {t("Due")} {formatTime(c.dueAt, lang)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <h3>{t("Done tasks")}</h3>
      <ErrorNotice error={done.error} onRetry={done.reload} />
      {done.value && !done.value.items.length && <p className="empty">{t("No finished tasks yet")}</p>}
      <ul className="task-list done-tasks">
        {(done.value?.items ?? []).map((c) => (
          <li key={c.id}>
            <Link to={`/tasks/${c.id}`} className="task-card done">
              <span className="task-title">
                {c.number} · {t(c.rule)} <span className={`badge state-${c.state}`}>{t(c.state)}</span>
              </span>
              <span className="muted">
                {c.outcome ? t(c.outcome.outcome) : "—"} · {formatTime(c.outcome?.at ?? c.closedAt, lang)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
