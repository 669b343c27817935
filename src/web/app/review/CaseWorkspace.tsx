import { useEffect, useState } from "react";
import type { AccessCode, CaseDetail, CaseView, PartyStatement, RejectReason, TransitionedCase, StatementsReadInput } from "../api/types.ts";
import { ApiError, post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { rejectReasonLabel } from "../i18n/labels.ts";
import { ErrorNotice, formatTime, useAction } from "../shell/feedback.tsx";
import { Link } from "../shell/router.tsx";
import { EvidenceViewer } from "./EvidenceViewer.tsx";
import { RejectDialog } from "./RejectDialog.tsx";
import { MergeDialog } from "./MergeDialog.tsx";
import { DispatchPanel } from "./DispatchPanel.tsx";
import { VerifyPanel } from "./VerifyPanel.tsx";
import { AccessCodeNotice } from "../shell/AccessCodeNotice.tsx";

/** Answers that mean the case moved on under us: reload it so the operator sees its real state. */
const reloadingCodes = new Set(["stale_version", "concurrent_update", "illegal_transition"]);

type Dialog = "reject" | "merge" | null;

/** Steps after which the case is done here: the operator is told what happened and the workspace moves on. */
export type DoneStep = "reject" | "merge" | "dispatch" | "send-back" | "close";
const doneSteps: readonly string[] = ["reject", "merge", "dispatch", "send-back", "close"] satisfies DoneStep[];

/**
 * One case under review: its evidence and the actions its state allows, all reachable
 * from the keyboard. Every action sends the version on screen; a 409 reloads the case
 * so the operator never acts on something that changed under them.
 */
export function CaseWorkspace({
  detail,
  zone,
  zoneLabel,
  cameraLabel,
  eventCodeLabel,
  reasons,
  onChanged,
  onDone,
  onNext,
  onPrevious,
}: {
  detail: CaseDetail;
  zone: [number, number][] | null;
  zoneLabel: string;
  cameraLabel: string;
  /** The event code with its name in the person's language. */
  eventCodeLabel: string;
  reasons: RejectReason[];
  /** The case changed but stays here (confirmed, verified, a refusal that reloads it). */
  onChanged: (after: CaseView | null) => void;
  /** The case is done here: say what happened (with the party's access code when this step issued one) and move on. */
  onDone: (step: DoneStep, after: CaseView, accessCode: string | null) => void;
  onNext: () => void;
  onPrevious: () => void;
}) {
  const { t, lang } = useI18n();
  const [dialog, setDialog] = useState<Dialog>(null);
  const action = useAction();
  // The party's access code as last issued here (a re-issue or a step that stays); the workspace is keyed by case.
  const [accessCode, setAccessCode] = useState<string | null>(null);
  const c = detail;

  async function transition(verb: string, body: Record<string, unknown>) {
    const after = await action.run(() => post<TransitionedCase>(`/cases/${c.id}/${verb}`, { ...body, expectedVersion: c.version }));
    if (!after) return;
    // A code is shown only in this answer: a step that moves on hands it to the toast, which stays until closed.
    if (doneSteps.includes(verb)) return onDone(verb as DoneStep, after, after.accessCode ?? null);
    if (after.accessCode) setAccessCode(after.accessCode);
    onChanged(after);
  }

  useEffect(() => {
    if (action.error instanceof ApiError && reloadingCodes.has(action.error.code)) onChanged(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [action.error]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (dialog || action.busy || e.ctrlKey || e.metaKey || e.altKey) return;
      // A dialog or the lightbox opened elsewhere (bulk actions) owns the keyboard meanwhile.
      if (document.querySelector(".dialog-backdrop, .lightbox")) return;
      const el = e.target as HTMLElement;
      if (el.closest("input, textarea, select, [contenteditable]")) return;
      const key = e.key.toLowerCase();
      const handlers: Record<string, () => void> = {
        j: onNext,
        arrowdown: onNext,
        n: onNext,
        k: onPrevious,
        arrowup: onPrevious,
        l: () => document.querySelector<HTMLButtonElement>('[data-key="l"]')?.click(),
        a: () => document.querySelector<HTMLAnchorElement>("[data-record-link]")?.click(),
      };
      if (c.state === "candidate") {
        handlers.c = () => void transition("confirm", {});
        handlers.r = () => setDialog("reject");
        handlers.m = () => setDialog("merge");
      }
      if (c.state === "confirmed") {
        for (let i = 1; i <= 9; i++) handlers[String(i)] = () => document.querySelectorAll<HTMLButtonElement>("[data-dispatch-to]")[i - 1]?.click();
      }
      if (c.state === "handled") handlers.v = () => void transition("verify", {});
      if (c.state === "verified") handlers.x = () => void transition("close", {});
      const h = handlers[key];
      if (h) {
        e.preventDefault();
        h();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <section className="workspace" aria-label={c.number}>
      <header className="case-header">
        <h2>
          {c.number} <span className={`badge state-${c.state}`}>{t(c.state)}</span> {c.overdue && <span className="badge overdue">{t("Overdue")}</span>}
          {c.firstViolation?.treatment === "first_violation_education" && <span className="badge first">{t("First violation")}</span>}
        </h2>
        <dl className="facts">
          <dt>{t("Rule")}</dt>
          <dd data-rule>
            {t(c.rule)} · {eventCodeLabel}
          </dd>
          <dt>{t("Camera")}</dt>
          <dd>{cameraLabel}</dd>
          <dt>{t("Zone")}</dt>
          <dd>{zoneLabel}</dd>
          <dt>{t("Time")}</dt>
          <dd>
            {formatTime(c.startedAt, lang)} – {formatTime(c.lastSeenAt, lang)}
          </dd>
          <dt>{t("Score")}</dt>
          <dd>{c.bestScore.toFixed(2)}</dd>
          {c.dueAt && (
            <>
              <dt>{t("Due")}</dt>
              <dd>{formatTime(c.dueAt, lang)}</dd>
            </>
          )}
          {c.dispatch && (
            <>
              <dt>{t("Assignee")}</dt>
              <dd data-assignee>
                {c.dispatch.assigneeName ?? t("a person no longer registered")} · {t(c.dispatch.task ?? "—")}
              </dd>
            </>
          )}
          {c.confirmedByName && (
            <>
              <dt>{t("Confirmed by")}</dt>
              <dd>{c.confirmedByName}</dd>
            </>
          )}
          {c.rejection && (
            <>
              <dt>{t("Rejection reason")}</dt>
              <dd>
                {rejectReasonLabel(c.rejection.reason, reasons, lang)}
                {c.rejection.text && ` · ${c.rejection.text}`}
              </dd>
            </>
          )}
        </dl>
        {c.penaltyEvidence.usable === false && (
          <p className="notice warn">
            {t("Not usable as penalty evidence")}:{" "}
            {t("when this was recorded, the camera had not passed its legal review or its location was not yet published (Art. 41)")}
          </p>
        )}
      </header>

      {/* Unread statements are why the case is in the queue: they come first. */}
      {c.statements.unread > 0 && <PartyStatements detail={c} onRead={() => onChanged(null)} />}

      {c.state === "handled" || c.state === "verified" || c.state === "closed" ? (
        <VerifyPanel detail={detail} />
      ) : (
        <EvidenceViewer detail={detail} zone={zone} />
      )}

      <ErrorNotice error={action.error} />
      {accessCode && <AccessCodeNotice code={accessCode} caseNumber={c.number} />}

      <div className="actions action-bar">
        {c.state === "candidate" && (
          <>
            <button type="button" className="primary" disabled={action.busy} onClick={() => void transition("confirm", {})}>
              <kbd>C</kbd> {t("Confirm")}
            </button>
            <button type="button" className="danger" disabled={action.busy} onClick={() => setDialog("reject")}>
              <kbd>R</kbd> {t("Reject")}
            </button>
            <button type="button" disabled={action.busy} onClick={() => setDialog("merge")}>
              <kbd>M</kbd> {t("Merge")}
            </button>
          </>
        )}
        {c.state === "handled" && (
          <>
            <button type="button" className="primary" disabled={action.busy} onClick={() => void transition("verify", {})}>
              <kbd>V</kbd> {t("Verify")}
            </button>
            <SendBackButton busy={action.busy} onSendBack={(reason) => void transition("send-back", { reason })} />
          </>
        )}
        {c.state === "verified" && (
          <button type="button" className="primary" disabled={action.busy} onClick={() => void transition("close", {})}>
            <kbd>X</kbd> {t("Close case")}
          </button>
        )}
        <button type="button" onClick={onPrevious}>
          <kbd>K</kbd> {t("Previous")}
        </button>
        <button type="button" onClick={onNext}>
          <kbd>J</kbd> {t("Next")}
        </button>
        {["confirmed", "dispatched", "handled", "verified", "closed"].includes(c.state) && (
          <AccessCodeButton caseId={c.id} issuedAt={c.accessCodeIssuedAt} hasCode={Boolean(accessCode || c.accessCodeIssuedAt)} onIssued={setAccessCode} />
        )}
        <a className="button-like" href={`/api/cases/${encodeURIComponent(c.id)}/case-file.pdf`} target="_blank" rel="noreferrer" data-case-file>
          {t("Print case file")}
        </a>
        <Link to={`/cases/${c.id}/record`} className="button-like">
          <span data-record-link>
            <kbd>A</kbd> {t("Full-process record")}
          </span>
        </Link>
      </div>

      {c.statements.unread === 0 && <PartyStatements detail={c} onRead={() => onChanged(null)} />}

      {c.state === "confirmed" && (
        <DispatchPanel c={c} busy={action.busy} onDispatch={(assigneeId, task) => void transition("dispatch", { assigneeId, task })} />
      )}

      {dialog === "reject" && (
        <RejectDialog
          reasons={reasons}
          onCancel={() => setDialog(null)}
          onReject={(reason, text) => {
            setDialog(null);
            void transition("reject", { reason, ...(text ? { text } : {}) });
          }}
        />
      )}
      {dialog === "merge" && (
        <MergeDialog
          current={c}
          onCancel={() => setDialog(null)}
          onMerge={(intoCaseId) => {
            setDialog(null);
            void transition("merge", { intoCaseId });
          }}
        />
      )}
    </section>
  );
}

function SendBackButton({ busy, onSendBack }: { busy: boolean; onSendBack: (reason: string) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (!open)
    return (
      <button type="button" disabled={busy} onClick={() => setOpen(true)}>
        {t("Send back")}
      </button>
    );
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim().length >= 2) onSendBack(reason.trim());
      }}
    >
      <input name="sendBackReason" placeholder={t("Reason")} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus minLength={2} required />
      <button type="submit">{t("Send back")}</button>
    </form>
  );
}

/**
 * Re-issues the party's access code (dispatch issues the first one), e.g. when the notice was
 * lost. The new code replaces the old one and is shown once, by the workspace, for the notice.
 */
function AccessCodeButton({
  caseId,
  issuedAt,
  hasCode,
  onIssued,
}: {
  caseId: string;
  issuedAt: string | null;
  hasCode: boolean;
  onIssued: (code: string) => void;
}) {
  const { t, lang } = useI18n();
  const action = useAction();
  return (
    <span className="access-code">
      <button
        type="button"
        disabled={action.busy}
        data-issue-access-code
        title={issuedAt ? t("An access code was issued on {t}; a new one replaces it", { t: formatTime(issuedAt, lang) }) : undefined}
        onClick={() => void action.run(() => post<AccessCode>(`/cases/${caseId}/access-code`, {})).then((r) => r && onIssued(r.accessCode))}
      >
        {hasCode ? t("Issue a new access code") : t("Access code for the party")}
      </button>
      <ErrorNotice error={action.error} />
    </span>
  );
}

/**
 * A party's statements (陈述申辩) from the public page, on the case itself: the text, when, and the
 * contact if they left one. Unread ones are flagged (the queue says 新陈述) until someone in the
 * command center marks them read, which the record keeps.
 */
function PartyStatements({ detail, onRead }: { detail: CaseDetail; onRead: () => void }) {
  const { t, lang } = useI18n();
  const action = useAction();
  const statements: PartyStatement[] = detail.partyStatements ?? [];
  if (!statements.length) return null;
  const unread = statements.filter((s) => !s.read);
  return (
    <section className="panel party-statements" aria-label={t("Party's statements")}>
      <h3>
        {t("Party's statements")} <span className="badge">{statements.length}</span>
        {unread.length > 0 && <span className="badge new-statement">{t("{n} unread", { n: unread.length })}</span>}
      </h3>
      {statements.map((s) => (
        <blockquote key={s.id} data-statement={s.id} className={s.read ? "read" : "unread"}>
          <p className="statement-text">{s.text}</p>
          <footer className="muted">
            <span data-statement-at>{formatTime(s.submittedAt, lang)}</span>
            {s.contact ? (
              <span data-statement-contact>
                {" "}
                · {t("Contact")}: {s.contact}
              </span>
            ) : (
              <span> · {t("No contact given")}</span>
            )}
            {!s.read && <b className="unread-mark"> · {t("Unread")}</b>}
          </footer>
        </blockquote>
      ))}
      {unread.length > 0 && (
        <button
          type="button"
          className="primary"
          disabled={action.busy}
          data-mark-statements-read
          onClick={() =>
            void action
              .run(() => post(`/cases/${detail.id}/statements/read`, { statementIds: unread.map((s) => s.id) } satisfies StatementsReadInput))
              .then((r) => r !== undefined && onRead())
          }
        >
          ✓ {t("Mark as read")}
        </button>
      )}
      <ErrorNotice error={action.error} />
    </section>
  );
}
