import { useState, type FormEvent } from "react";
import type { CaseView } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";

/** Merge a duplicate into another case: pick one of the camera's recent cases or type its id. */
export function MergeDialog({ current, candidates, onMerge, onCancel }: { current: CaseView; candidates: CaseView[]; onMerge: (intoCaseId: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const others = candidates.filter((c) => c.id !== current.id && c.state !== "rejected" && c.state !== "merged");
  const [into, setInto] = useState(others[0]?.id ?? "");
  function submit(e: FormEvent) {
    e.preventDefault();
    if (into.trim()) onMerge(into.trim());
  }
  return (
    <div className="dialog-backdrop">
      <form className="dialog card" role="dialog" aria-label={t("Merge into")} onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
        <h2>
          {current.number} → {t("Merge into")}
        </h2>
        <select name="into" value={into} onChange={(e) => setInto(e.target.value)} autoFocus>
          {others.map((c) => (
            <option key={c.id} value={c.id}>
              {c.number} · {t(c.state)} · {new Date(c.startedAt).toLocaleTimeString()}
            </option>
          ))}
        </select>
        <input name="intoId" placeholder="case id" value={into} onChange={(e) => setInto(e.target.value)} />
        <div className="actions">
          <button type="submit" className="primary">
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
