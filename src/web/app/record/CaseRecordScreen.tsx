import { useState } from "react";
import { get } from "../api/client.ts";
import type { AuditEntry, CaseDetail, CaseRecord, RejectReason } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { rejectReasonLabel } from "../i18n/labels.ts";
import { ErrorNotice, formatTime, Spinner, useLoad } from "../shell/feedback.tsx";

/** Each recorded action in words, and the step of the case it belongs to. */
const actions: Record<string, { words: string; step: Step }> = {
  "candidate.reported": { words: "The edge reported the situation", step: "discovery" },
  "candidate.received": { words: "The edge reported the situation", step: "discovery" },
  "candidate.updated": { words: "The edge updated the situation", step: "discovery" },
  "case.created": { words: "Candidate created", step: "discovery" },
  "evidence.stored": { words: "Evidence stored", step: "discovery" },
  "case.confirm": { words: "Confirmed by the operator", step: "review" },
  "case.reject": { words: "Rejected by the operator", step: "review" },
  "case.merge": { words: "Merged into another case", step: "review" },
  "case.merge_received": { words: "A duplicate was merged in", step: "review" },
  "case.dispatch": { words: "Dispatched", step: "handling" },
  "task.accepted": { words: "Task accepted on site", step: "handling" },
  "case.outcome": { words: "Outcome recorded", step: "handling" },
  "case.send_back": { words: "Sent back for rework", step: "handling" },
  "case.overdue": { words: "Time limit passed", step: "handling" },
  overdue: { words: "Time limit passed", step: "handling" },
  "case.verify": { words: "Verified", step: "closing" },
  "case.close": { words: "Closed", step: "closing" },
  "party.statement": { words: "The party sent a statement", step: "party" },
  "party.statement_read": { words: "The party's statement was read", step: "party" },
  "case.access_code_issued": { words: "Access code issued to the party", step: "party" },
  "case.note": { words: "Note added", step: "handling" },
  "evidence.accessed": { words: "Evidence viewed", step: "reads" },
  "evidence.purged": { words: "Evidence removed after retention", step: "closing" },
};
type Step = "discovery" | "review" | "handling" | "party" | "closing" | "reads";
const steps: { id: Step; label: string }[] = [
  { id: "discovery", label: "Discovery" },
  { id: "review", label: "Review" },
  { id: "handling", label: "Handling" },
  { id: "party", label: "Party" },
  { id: "closing", label: "Verification and closing" },
  { id: "reads", label: "Evidence views" },
];
const stepOf = (action: string): Step => actions[action]?.step ?? "handling";

type Translate = (p: string, vars?: Record<string, string | number>) => string;

/** Who acted, in words: a person by name (and role), the party, the edge or the system — never a bare id. */
function actorWords(id: string, people: CaseRecord["people"], t: Translate): string {
  const p = people[id];
  if (p) return `${p.name} · ${t(p.role)}`;
  if (id === "party") return t("The party");
  if (id.startsWith("edge:")) return t("Edge worker");
  if (id.startsWith("system:")) return t("System");
  return id;
}

/** What an entry recorded, in a short line: the note, reason, outcome or assignee people care about, in words. */
function detail(e: AuditEntry, people: CaseRecord["people"], reasons: RejectReason[], lang: "zh" | "en", t: Translate): string {
  const after = (e.after ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  const str = (k: string) => (typeof after[k] === "string" && after[k] ? (after[k] as string) : null);
  if (e.action === "case.dispatch" && str("assigneeId")) {
    const who = people[str("assigneeId")!]?.name ?? t("a person no longer registered");
    const task = str("taskKind") ? t(str("taskKind")!) : null;
    parts.push(t("to {who}", { who }) + (task ? (lang === "zh" ? `（${task}）` : ` (${task})`) : ""));
  }
  if (e.action === "case.reject" && str("rejectReason")) parts.push(rejectReasonLabel(str("rejectReason")!, reasons, lang));
  if (e.action === "case.reject" && str("rejectText")) parts.push(str("rejectText")!);
  if (e.action === "case.outcome" && str("outcome")) parts.push(t(str("outcome")!));
  if (e.action === "party.statement_read" && Array.isArray(after.statementIds)) parts.push(t("{n} statement(s)", { n: after.statementIds.length }));
  for (const k of ["note", "text", "reason", "mergedCaseNumber"]) if (str(k)) parts.push(str(k)!);
  return parts.join(" · ");
}

/** The case's full-process record (执法全过程记录) for people: steps in words, filterable, with the chain's integrity. */
export function CaseRecordScreen({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const c = useLoad((signal) => get<CaseDetail>(`/cases/${caseId}`, signal), [caseId]);
  const record = useLoad((signal) => get<CaseRecord>(`/cases/${caseId}/record`, signal), [caseId]);
  // Rejection reasons by their words; without them the record still reads, with the reason's code.
  const reasons = useLoad((signal) => get<RejectReason[]>("/reject-reasons", signal).catch(() => [] as RejectReason[]), []);
  const people = record.value?.people ?? {};
  const [shown, setShown] = useState<Set<Step>>(() => new Set(steps.filter((s) => s.id !== "reads").map((s) => s.id)));
  // Entries wait for the reasons' words (a failed load leaves codes): a row never changes its words under a reader.
  const entries = reasons.value ? (record.value?.entries ?? []) : [];
  const toggle = (s: Step) => setShown((cur) => (cur.has(s) ? new Set([...cur].filter((x) => x !== s)) : new Set([...cur, s])));
  return (
    <section className="record">
      <h2>
        {t("Full-process record")} {c.value && `· ${c.value.number}`} {c.value && <span className={`badge state-${c.value.state}`}>{t(c.value.state)}</span>}
      </h2>
      <div className="actions">
        <button type="button" onClick={() => history.back()}>
          {t("Back")}
        </button>
        <a className="button-like" href={`/api/cases/${encodeURIComponent(caseId)}/case-file.pdf`} target="_blank" rel="noreferrer">
          {t("Print case file")}
        </a>
      </div>
      <ErrorNotice error={record.error ?? c.error} onRetry={record.reload} />
      {((record.loading && !record.value) || (record.value && !reasons.value)) && <Spinner />}
      {record.value?.intact !== undefined && (
        <p className={record.value.intact ? "notice ok" : "notice error"} data-integrity={record.value.intact ? "intact" : "broken"}>
          {record.value.intact
            ? `✓ ${t("Record intact: every entry's hash checks out and links to the one before")}`
            : `✕ ${t("Record altered: the hash chain does not check out")}`}
        </p>
      )}
      <fieldset className="record-filter">
        <legend>{t("Show")}</legend>
        {steps.map((s) => (
          <label key={s.id} className="check">
            <input type="checkbox" name={`step-${s.id}`} checked={shown.has(s.id)} onChange={() => toggle(s.id)} /> {t(s.label)} (
            {entries.filter((e) => stepOf(e.action) === s.id).length})
          </label>
        ))}
      </fieldset>
      {record.value && (
        <table className="table audit">
          <thead>
            <tr>
              <th>#</th>
              <th>{t("Time")}</th>
              <th>{t("Actor")}</th>
              <th>{t("Action")}</th>
              <th>{t("Details")}</th>
              <th>{t("Fingerprint")}</th>
            </tr>
          </thead>
          {steps
            .filter((s) => shown.has(s.id))
            .map((s) => {
              const rows = entries.filter((e) => stepOf(e.action) === s.id);
              if (!rows.length) return null;
              return (
                <tbody key={s.id} data-step={s.id}>
                  <tr className="step-row">
                    <th colSpan={6}>{t(s.label)}</th>
                  </tr>
                  {rows.map((e) => (
                    <tr key={e.seq} data-action={e.action}>
                      <td>{e.seq}</td>
                      <td>{formatTime(e.at, lang)}</td>
                      <td title={e.actorId} data-actor={e.actorId}>
                        {actorWords(e.actorId, people, t)}
                      </td>
                      <td>{actions[e.action] ? t(actions[e.action].words) : t("Other step")}</td>
                      <td className="wrap">
                        {detail(e, people, reasons.value ?? [], lang, t)}
                        {e.evidenceSha256 && <span className="muted"> SHA-256 {e.evidenceSha256.slice(0, 12)}…</span>}
                      </td>
                      <td>
                        <code title={e.hash}>{e.hash.slice(0, 10)}…</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              );
            })}
        </table>
      )}
    </section>
  );
}
