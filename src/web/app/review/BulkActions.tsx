import { useState } from "react";
import { ApiError, get, post, qs } from "../api/client.ts";
import type { BulkResult, CaseView, RejectReason, BulkResponse, SuggestedAssignees } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { errorSentence } from "../i18n/error-messages.ts";
import { ErrorNotice, Spinner, useAction, useLoad } from "../shell/feedback.tsx";
import { Link } from "../shell/router.tsx";
import { AccessCodeNotice } from "../shell/AccessCodeNotice.tsx";
import { RejectDialog } from "./RejectDialog.tsx";
import { AssigneeFields, useAssigneePick, type Task } from "./AssigneePicker.tsx";

/** The ticked cases as they were on screen when the action was chosen: their versions go with the request. */
export type Picked = Pick<CaseView, "id" | "number" | "version" | "state">[];

export interface BulkOutcome {
  action: "reject" | "dispatch";
  results: BulkResult[];
}

/**
 * The bar over the queue while items are ticked: reject them with one reason, or dispatch them to
 * one person. The back end checks each case on its own and says per case what happened.
 */
export function BulkBar({
  picked,
  reasons,
  onClear,
  onDone,
}: {
  picked: Picked;
  reasons: RejectReason[];
  onClear: () => void;
  onDone: (outcome: BulkOutcome) => void;
}) {
  const { t } = useI18n();
  // What the dialog acts on is fixed when it opens: a live update may drop an item from the queue meanwhile.
  const [dialog, setDialog] = useState<{ kind: "reject" | "dispatch"; cases: Picked } | null>(null);
  const action = useAction();
  const candidates = picked.filter((c) => c.state === "candidate");

  async function send(body: Record<string, unknown>, cases: Picked, kind: "reject" | "dispatch") {
    setDialog(null);
    const r = await action.run(() =>
      post<BulkResponse>("/cases/bulk", { ...body, action: kind, cases: cases.map((c) => ({ id: c.id, expectedVersion: c.version })) }),
    );
    if (r) onDone({ action: kind, results: r.results });
  }

  return (
    <div className="bulk-bar" role="region" aria-label={t("Bulk actions")} data-picked={picked.length}>
      <span className="bulk-count">{t("{n} selected", { n: picked.length })}</span>
      <button
        type="button"
        className="danger"
        disabled={action.busy || candidates.length === 0}
        title={candidates.length < picked.length ? t("Only candidates can be rejected; the others are left out") : undefined}
        data-bulk="reject"
        onClick={() => setDialog({ kind: "reject", cases: candidates })}
      >
        {t("Reject {n}", { n: candidates.length })}
      </button>
      <button type="button" className="primary" disabled={action.busy} data-bulk="dispatch" onClick={() => setDialog({ kind: "dispatch", cases: picked })}>
        {t("Dispatch {n}", { n: picked.length })}
      </button>
      <button type="button" className="link-button" onClick={onClear} disabled={action.busy}>
        {t("Clear selection")}
      </button>
      {action.busy && <Spinner />}
      <ErrorNotice error={action.error} />
      {dialog?.kind === "reject" && (
        <RejectDialog
          reasons={reasons}
          title={t("Reject {n} candidates", { n: dialog.cases.length })}
          onCancel={() => setDialog(null)}
          onReject={(reason, text) => void send({ reason, ...(text ? { text } : {}) }, dialog.cases, "reject")}
        />
      )}
      {dialog?.kind === "dispatch" && (
        <BulkDispatchDialog
          cases={dialog.cases}
          onCancel={() => setDialog(null)}
          onDispatch={(assigneeId, task) => void send({ assigneeId, task }, dialog.cases, "dispatch")}
        />
      )}
    </div>
  );
}

/** One person for all of them, from all field staff; an enforcement task only to an officer with a valid certificate. */
function BulkDispatchDialog({ cases, onDispatch, onCancel }: { cases: Picked; onDispatch: (assigneeId: string, task: Task) => void; onCancel: () => void }) {
  const { t } = useI18n();
  // Any of the cases lists the same field staff with scope=all (the list does not depend on the case then).
  const staff = useLoad(
    (signal) => get<SuggestedAssignees>(`/cases/${encodeURIComponent(cases[0].id)}/suggested-assignees${qs({ scope: "all" })}`, signal),
    [cases[0].id],
  );
  const people = staff.value?.suggestions ?? [];
  const pick = useAssigneePick(people);
  const { person, blocked, task } = pick;
  const candidates = cases.filter((c) => c.state === "candidate").length;
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog card"
        role="dialog"
        aria-label={t("Dispatch {n}", { n: cases.length })}
        onKeyDown={(e) => e.key === "Escape" && onCancel()}
        onSubmit={(e) => {
          e.preventDefault();
          if (person && !blocked) onDispatch(person.id, task);
        }}
      >
        <h2>{t("Dispatch {n}", { n: cases.length })}</h2>
        {candidates > 0 && <p className="notice warn">{t("{n} of them are candidates: they are confirmed and dispatched in one step", { n: candidates })}</p>}
        <ErrorNotice error={staff.error} onRetry={staff.reload} />
        <AssigneeFields staff={people} pick={pick} names={{ person: "bulkAssignee", task: "bulkTask" }} autoFocus />
        <div className="actions">
          <button type="submit" className="primary" disabled={!person || blocked}>
            {t("Dispatch")}
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")} Esc
          </button>
        </div>
      </form>
    </div>
  );
}

/** Per case, what the bulk action did: done (with the party's access code when one was issued), or why not, in words. */
export function BulkResults({ outcome, onClose }: { outcome: BulkOutcome; onClose: () => void }) {
  const { t, lang } = useI18n();
  const done = outcome.results.filter((r) => r.ok).length;
  const verb = outcome.action === "reject" ? t("rejected") : t("dispatched");
  return (
    <section className="panel bulk-results" aria-label={t("Bulk action results")} data-done={done} data-failed={outcome.results.length - done}>
      <h3>
        {t("{done} of {n} {verb}", { done, n: outcome.results.length, verb })}{" "}
        <button type="button" className="link-button" onClick={onClose}>
          {t("Close")}
        </button>
      </h3>
      <ul>
        {outcome.results.map((r) => (
          <li key={r.id} className={r.ok ? "ok" : "failed"} data-bulk-result={r.id} data-ok={r.ok}>
            <b>{r.number ?? t("Unknown case")}</b>{" "}
            {r.ok ? (
              <>✓ {t(r.state)}</>
            ) : (
              <>
                ✕ {errorSentence(new ApiError(r.status, "", undefined, r.code), t)}
                {r.state && (lang === "zh" ? `（${t(r.state)}）` : ` (${t(r.state)})`)}
              </>
            )}{" "}
            <Link to={`/cases/${r.id}/record`} className="toast-link">
              {t("Open record")}
            </Link>
            {r.ok && r.accessCode && <AccessCodeNotice code={r.accessCode} caseNumber={r.number} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
