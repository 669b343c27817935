import type { DoneStep } from "./CaseWorkspace.tsx";
import type { CaseView } from "../api/types.ts";
import { useCallback, useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { Link } from "../shell/router.tsx";
import { AccessCodeNotice } from "../shell/AccessCodeNotice.tsx";

/** What the toast says after each step that moves the operator on; {n} is the case number, {who} the assignee. */
export const doneWords: Record<DoneStep, string> = {
  reject: "Case {n} rejected",
  merge: "Case {n} merged into another case",
  dispatch: "Case {n} dispatched to {who}",
  "send-back": "Case {n} sent back to {who}",
  close: "Case {n} closed",
};

/** The toast after a step that finished a case: what happened to which case, in words, with its record and any new access code. */
export function doneToast(
  t: (phrase: string, vars?: Record<string, string | number>) => string,
  step: DoneStep,
  after: CaseView,
  accessCode: string | null,
): Omit<Toast, "id"> {
  return {
    caseId: after.id,
    caseNumber: after.number,
    text: t(doneWords[step], { n: after.number, who: after.dispatch?.assigneeName ?? "—" }),
    recordLink: true,
    ...(accessCode ? { accessCode } : {}),
  };
}

export interface Toast {
  id: number;
  caseId: string;
  caseNumber: string;
  /** What happened, already in the person's language. */
  text: string;
  /** The case left the queue: offer its record, the only way back to it from here. */
  recordLink: boolean;
  /** A party's access code issued by this step: the toast stays until closed, so it can go on the notice. */
  accessCode?: string;
}

/** How long a plain toast stays: long enough to read a case number, short enough not to pile up over a shift. */
const TOAST_MS = 8000;
const MAX_TOASTS = 4;

export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((x) => x.id !== id));
  }, []);
  const push = useCallback(
    (toast: Omit<Toast, "id">) => {
      const id = next.current++;
      setToasts((all) => [...all, { ...toast, id }].slice(-MAX_TOASTS));
      if (!toast.accessCode)
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), TOAST_MS),
        );
    },
    [dismiss],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((h) => clearTimeout(h));
  }, []);
  return { toasts, push, dismiss };
}

/** What the operator's last actions did, to which case, with the way back to the case's record. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((x) => (
        <div key={x.id} className="toast" data-toast-case={x.caseId}>
          <span className="toast-text">{x.text}</span>
          {x.accessCode && <AccessCodeNotice code={x.accessCode} caseNumber={x.caseNumber} />}
          <span className="toast-actions">
            {x.recordLink && (
              <Link to={`/cases/${x.caseId}/record`} className="toast-link">
                {t("Open record")}
              </Link>
            )}
            <button type="button" className="link-button" aria-label={t("Close")} onClick={() => onDismiss(x.id)}>
              ✕
            </button>
          </span>
        </div>
      ))}
    </div>
  );
}
