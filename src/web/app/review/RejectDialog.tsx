import { useEffect, useState, type FormEvent, type KeyboardEvent } from "react";
import type { RejectReason } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { labelIn } from "../i18n/labels.ts";

/** Keyboard: digits pick a reason, Enter rejects, Escape cancels. */
export function RejectDialog({
  reasons,
  title,
  onReject,
  onCancel,
}: {
  reasons: RejectReason[];
  /** The heading (several candidates at once say how many). */
  title?: string;
  onReject: (reason: string, text: string) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const active = reasons.filter((r) => r.active);
  const [reason, setReason] = useState(active[0]?.code ?? "");
  const [text, setText] = useState("");
  const needsText = active.find((r) => r.code === reason)?.requiresText ?? false;
  useEffect(() => {
    document.querySelector<HTMLElement>(".dialog [data-autofocus]")?.focus();
  }, []);
  function onKey(e: KeyboardEvent) {
    if (e.key === "Escape") onCancel();
    const n = Number(e.key);
    if (e.target instanceof HTMLTextAreaElement) return;
    if (n >= 1 && n <= active.length) {
      e.preventDefault();
      setReason(active[n - 1].code);
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    if (reason && (!needsText || text.trim())) onReject(reason, text.trim());
  }
  return (
    <div className="dialog-backdrop">
      <form className="dialog card" role="dialog" aria-label={title ?? t("Rejection reason")} onSubmit={submit} onKeyDown={onKey}>
        <h2>{title ?? t("Rejection reason")}</h2>
        <div className="reason-list" role="radiogroup">
          {active.map((r, i) => (
            <label key={r.code} className={r.code === reason ? "reason selected" : "reason"}>
              <input
                type="radio"
                name="reason"
                value={r.code}
                checked={r.code === reason}
                onChange={() => setReason(r.code)}
                data-autofocus={i === 0 ? "" : undefined}
              />
              <kbd>{i + 1}</kbd> {labelIn(r.label, lang)}
            </label>
          ))}
        </div>
        <label>
          {t("Note")} {needsText ? "*" : `(${t("Optional")})`}
          <textarea name="text" value={text} onChange={(e) => setText(e.target.value)} rows={2} required={needsText} />
        </label>
        <div className="actions">
          <button type="submit" className="danger" disabled={!reason}>
            {t("Reject")} ⏎
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")} Esc
          </button>
        </div>
      </form>
    </div>
  );
}
