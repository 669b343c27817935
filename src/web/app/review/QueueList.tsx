import { useRef, type MouseEvent } from "react";
import type { CaseView } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatTime } from "../shell/feedback.tsx";

/** Items a bulk action can take: candidates (reject, or confirm and dispatch) and confirmed cases (dispatch). */
export const bulkSelectable = (c: CaseView) => c.state === "candidate" || c.state === "confirmed";

export function QueueList({
  items,
  selectedId,
  onSelect,
  cameraName,
  picked,
  onPick,
}: {
  items: CaseView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  cameraName: (id: string) => string;
  /** Ids ticked for a bulk action. */
  picked: ReadonlySet<string>;
  /** Ticks or unticks these ids together (one item, or a shift-click range). */
  onPick: (ids: string[], on: boolean) => void;
}) {
  const { t, lang } = useI18n();
  // The last box ticked by hand: a shift-click ticks (or unticks) every selectable item between it and here.
  const anchor = useRef<string | null>(null);
  if (!items.length) return <p className="empty">{t("Queue is empty — new candidates appear here live")}</p>;

  function tick(e: MouseEvent<HTMLInputElement>, c: CaseView) {
    const on = e.currentTarget.checked;
    const from = anchor.current ? items.findIndex((x) => x.id === anchor.current) : -1;
    const to = items.findIndex((x) => x.id === c.id);
    if (e.shiftKey && from >= 0) {
      const [a, b] = from < to ? [from, to] : [to, from];
      onPick(
        items
          .slice(a, b + 1)
          .filter(bulkSelectable)
          .map((x) => x.id),
        on,
      );
    } else onPick([c.id], on);
    anchor.current = c.id;
  }

  return (
    <ol className="queue" aria-label={t("Review queue")}>
      {items.map((c) => (
        <li key={c.id} className={picked.has(c.id) ? "picked" : undefined}>
          {bulkSelectable(c) ? (
            <input
              type="checkbox"
              className="queue-pick"
              aria-label={t("Select {n}", { n: c.number })}
              data-pick={c.id}
              checked={picked.has(c.id)}
              onClick={(e) => tick(e, c)}
              onChange={() => undefined}
            />
          ) : (
            <span className="queue-pick" />
          )}
          <button
            type="button"
            className={c.id === selectedId ? "queue-item selected" : "queue-item"}
            aria-current={c.id === selectedId}
            data-case-id={c.id}
            onClick={() => onSelect(c.id)}
          >
            <span className="queue-number">{c.number}</span>
            <span className="queue-badges">
              <span className={`badge state-${c.state}`}>{t(c.state)}</span>
              {c.statements.unread > 0 && (
                <span className="badge new-statement" data-new-statements={c.statements.unread}>
                  {t("New statement")}
                </span>
              )}
              {c.overdue && <span className="badge overdue">{t("Overdue")}</span>}
            </span>
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
