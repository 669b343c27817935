import { useState, type FormEvent } from "react";
import { get, qs } from "../api/client.ts";
import type { CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useLoad } from "../shell/feedback.tsx";

/** States a case can be merged into (the back end checks the same). */
const targetStates = ["confirmed", "dispatched", "handled", "verified"] as const;
type CaseList = Page<CaseView>;

/**
 * Merge a duplicate into another case. Offered: only cases that can take a merge (this
 * camera's, newest first); any other case is found by its number, and when it cannot take
 * the merge the dialog says why instead of offering it.
 */
export function MergeDialog({ current, onMerge, onCancel }: { current: CaseView; onMerge: (intoCaseId: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [search, setSearch] = useState("");
  const [into, setInto] = useState("");
  const wanted = search.trim();
  const valid = /^(CW-?)?\d{1,9}$/i.test(wanted);
  const list = useLoad(
    (signal) =>
      get<CaseList>(
        `/cases${qs(valid ? { number: wanted, limit: 5 } : { state: targetStates.join(","), cameraId: current.cameraId, sort: "newest", limit: 20 })}`,
        signal,
      ),
    [valid ? wanted : "", current.cameraId],
  );
  const items = (list.value?.items ?? []).filter((c) => c.id !== current.id);
  const canTake = (c: CaseView) => (targetStates as readonly string[]).includes(c.state);
  const choice = items.find((c) => c.id === into && canTake(c));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (choice) onMerge(choice.id);
  }
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog card merge-dialog"
        role="dialog"
        aria-label={t("Merge into")}
        onSubmit={submit}
        onKeyDown={(e) => e.key === "Escape" && onCancel()}
      >
        <h2>
          {current.number} → {t("Merge into")}
        </h2>
        <label>
          {t("Case number")}
          <input name="mergeSearch" placeholder="CW-000123" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />
          <small className="hint">{t("Only confirmed, dispatched, handled or verified cases can take a merge; this camera's are listed")}</small>
        </label>
        {wanted && !valid && <p className="field-error">{t("A case number looks like CW-000123")}</p>}
        <ErrorNotice error={list.error} onRetry={list.reload} />
        {list.loading && !list.value && <Spinner />}
        {list.value && !items.length && <p className="empty">{valid ? t("No case with this number") : t("This camera has no case that can take a merge")}</p>}
        <ul className="merge-targets">
          {items.map((c) => (
            <li key={c.id}>
              <label className={canTake(c) ? "choice" : "choice disabled"}>
                <input
                  type="radio"
                  name="into"
                  value={c.id}
                  disabled={!canTake(c)}
                  checked={into === c.id}
                  onChange={() => setInto(c.id)}
                  data-merge-target={c.number}
                />
                <b>{c.number}</b> · {t(c.state)} · {formatTime(c.startedAt, lang)} · {c.cameraId}
                {!canTake(c) && <span className="field-error">{t("Cannot take a merge: it is {state}", { state: t(c.state) })}</span>}
              </label>
            </li>
          ))}
        </ul>
        <div className="actions">
          <button type="submit" className="primary" disabled={!choice}>
            {t("Merge")} ⏎
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")} Esc
          </button>
        </div>
      </form>
    </div>
  );
}
