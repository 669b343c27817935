import { useEffect, useState } from "react";
import type { AuditEntry, CaseDetail, CaseView, RejectReason, Suggestion } from "../api/types.ts";
import { ApiError, get, post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, useAction, useLoad } from "../shell/feedback.tsx";
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

/**
 * One case under review: its evidence and the actions its state allows, all reachable
 * from the keyboard. Every action sends the version on screen; a 409 reloads the case
 * so the operator never acts on something that changed under them.
 */
export function CaseWorkspace({
  detail,
  zone,
  cameraLabel,
  reasons,
  onChanged,
  onNext,
  onPrevious,
}: {
  detail: CaseDetail;
  zone: [number, number][] | null;
  cameraLabel: string;
  reasons: RejectReason[];
  onChanged: (after: CaseView | null, advance: boolean) => void;
  onNext: () => void;
  onPrevious: () => void;
}) {
  const { t, lang } = useI18n();
  const [dialog, setDialog] = useState<Dialog>(null);
  const action = useAction();
  // The party's access code as last issued here (dispatch, a decision or a re-issue); the workspace is keyed by case.
  const [accessCode, setAccessCode] = useState<string | null>(null);
  const c = detail;

  async function transition(verb: string, body: Record<string, unknown>, advance: boolean) {
    const after = await action.run(() => post<CaseView & { accessCode?: string }>(`/cases/${c.id}/${verb}`, { ...body, expectedVersion: c.version }));
    if (!after) return;
    if (after.accessCode) setAccessCode(after.accessCode);
    // A code is shown only in this answer: stay on the case so it can go on the notice.
    onChanged(after, advance && !after.accessCode);
  }

  useEffect(() => {
    if (action.error instanceof ApiError && reloadingCodes.has(action.error.code)) onChanged(null, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [action.error]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (dialog || action.busy || e.ctrlKey || e.metaKey || e.altKey) return;
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
        handlers.c = () => void transition("confirm", {}, false);
        handlers.r = () => setDialog("reject");
        handlers.m = () => setDialog("merge");
      }
      if (c.state === "confirmed") {
        for (let i = 1; i <= 9; i++) handlers[String(i)] = () => document.querySelectorAll<HTMLButtonElement>("[data-dispatch-to]")[i - 1]?.click();
      }
      if (c.state === "handled") handlers.v = () => void transition("verify", {}, false);
      if (c.state === "verified") handlers.x = () => void transition("close", {}, true);
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
          {c.firstViolation?.treatment === "education" && <span className="badge first">{t("First violation")}</span>}
        </h2>
        <dl className="facts">
          <dt>{t("Rule")}</dt>
          <dd>
            {t(c.rule)} · {c.eventCode}
          </dd>
          <dt>{t("Camera")}</dt>
          <dd>{cameraLabel}</dd>
          <dt>{t("Zone")}</dt>
          <dd>{c.zoneId ?? "—"}</dd>
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
              <dd>
                <AssigneeName caseId={c.id} assigneeId={c.dispatch.assigneeId} />
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
            <button type="button" className="primary" disabled={action.busy} onClick={() => void transition("confirm", {}, false)}>
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
            <button type="button" className="primary" disabled={action.busy} onClick={() => void transition("verify", {}, false)}>
              <kbd>V</kbd> {t("Verify")}
            </button>
            <SendBackButton busy={action.busy} onSendBack={(reason) => void transition("send-back", { reason }, true)} />
          </>
        )}
        {c.state === "verified" && (
          <button type="button" className="primary" disabled={action.busy} onClick={() => void transition("close", {}, true)}>
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

      <PartyStatements caseId={c.id} version={c.version} />

      {c.state === "confirmed" && (
        <DispatchPanel c={c} busy={action.busy} onDispatch={(assigneeId, task) => void transition("dispatch", { assigneeId, task }, false)} />
      )}

      {dialog === "reject" && (
        <RejectDialog
          reasons={reasons}
          onCancel={() => setDialog(null)}
          onReject={(reason, text) => {
            setDialog(null);
            void transition("reject", { reason, ...(text ? { text } : {}) }, true);
          }}
        />
      )}
      {dialog === "merge" && (
        <MergeDialog
          current={c}
          onCancel={() => setDialog(null)}
          onMerge={(intoCaseId) => {
            setDialog(null);
            void transition("merge", { intoCaseId }, true);
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
        onClick={() =>
          void action.run(() => post<{ caseNumber: string; accessCode: string }>(`/cases/${caseId}/access-code`, {})).then((r) => r && onIssued(r.accessCode))
        }
      >
        {hasCode ? t("Issue a new access code") : t("Access code for the party")}
      </button>
      <ErrorNotice error={action.error} />
    </span>
  );
}

/** The assignee by name (operators may not list users; the field-staff list they dispatch from has the names). */
function AssigneeName({ caseId, assigneeId }: { caseId: string; assigneeId: string }) {
  const { t } = useI18n();
  const staff = useLoad(
    (signal) => get<{ suggestions: Suggestion[] }>(`/cases/${caseId}/suggested-assignees?scope=all`, signal).catch(() => ({ suggestions: [] as Suggestion[] })),
    [caseId],
  );
  const u = staff.value?.suggestions.find((s) => s.id === assigneeId);
  return <>{u ? `${u.name} · ${t(u.role)}` : assigneeId}</>;
}

/** A party's statements (陈述申辩) from the public page, shown on the case itself. */
function PartyStatements({ caseId, version }: { caseId: string; version: number }) {
  const { t, lang } = useI18n();
  const record = useLoad(
    (signal) => get<{ entries: AuditEntry[] }>(`/cases/${caseId}/record`, signal).catch(() => ({ entries: [] as AuditEntry[] })),
    [caseId, version],
  );
  const statements = (record.value?.entries ?? []).filter((e) => e.action === "party.statement");
  if (!statements.length) return null;
  return (
    <section className="panel party-statements" aria-label={t("Party's statements")}>
      <h3>
        {t("Party's statements")} <span className="badge overdue">{statements.length}</span>
      </h3>
      {statements.map((e) => {
        const a = (e.after ?? {}) as { text?: string; contact?: string | null };
        return (
          <blockquote key={e.seq} data-statement>
            <p>{a.text}</p>
            <footer className="muted">
              {formatTime(e.at, lang)}
              {a.contact ? ` · ${t("Contact")}: ${a.contact}` : ""}
            </footer>
          </blockquote>
        );
      })}
    </section>
  );
}
