import type { CaseView } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatTime } from "../shell/feedback.tsx";

export function QueueList({
  items,
  selectedId,
  onSelect,
  cameraName,
}: {
  items: CaseView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  cameraName: (id: string) => string;
}) {
  const { t, lang } = useI18n();
  if (!items.length) return <p className="empty">{t("Queue is empty — new candidates appear here live")}</p>;
  return (
    <ol className="queue" aria-label={t("Review queue")}>
      {items.map((c) => (
        <li key={c.id}>
          <button
            type="button"
            className={c.id === selectedId ? "queue-item selected" : "queue-item"}
            aria-current={c.id === selectedId}
            data-case-id={c.id}
            onClick={() => onSelect(c.id)}
          >
            <span className="queue-number">{c.number}</span>
            <span className={`badge state-${c.state}`}>{t(c.state)}</span>
            {c.overdue && <span className="badge overdue">{t("Overdue")}</span>}
            <span className="queue-meta">
              {t(c.rule)} · {cameraName(c.cameraId)}
            </span>
            <span className="queue-time">{formatTime(c.startedAt, lang)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
