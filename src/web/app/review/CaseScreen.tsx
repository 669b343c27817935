import { useCallback, useEffect } from "react";
import { get, qs } from "../api/client.ts";
import type { CaseDetail, CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useLoad } from "../shell/feedback.tsx";
import { Link, navigate } from "../shell/router.tsx";
import { useUser } from "../shell/session.tsx";
import { CaseWorkspace, type DoneStep } from "./CaseWorkspace.tsx";
import { doneToast, Toasts, useToasts } from "./Toasts.tsx";
import { CameraSidePanel } from "./CameraSidePanel.tsx";
import { caseHref, rememberedCaseList, worksCases } from "./case-links.ts";
import { useCaseEvents } from "./useCaseEvents.ts";
import { eventCodeLabelOf, useReferenceData, zoneNameOf, zoneOf } from "./useReferenceData.ts";

/**
 * One case in the operator's workspace, opened from the all-cases table or the case-number
 * search: the same evidence, actions and keys as in the review queue. `J`/`K` step through the
 * table page it was opened from. Supervisors are sent to the record, field staff to their task.
 */
export function CaseScreen({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const user = useUser();
  const toasts = useToasts();
  const mayWork = worksCases(user.role);
  useEffect(() => {
    if (!mayWork) navigate(caseHref(user.role, caseId), true);
  }, [mayWork, user.role, caseId]);

  const ref = useReferenceData();
  const detail = useLoad((signal) => (mayWork ? get<CaseDetail>(`/cases/${encodeURIComponent(caseId)}`, signal) : Promise.resolve(null)), [caseId, mayWork]);
  const cameraId = detail.value?.cameraId;
  const recent = useLoad((signal) => (cameraId ? get<Page<CaseView>>(`/cases${qs({ cameraId, limit: 8 })}`, signal) : Promise.resolve(null)), [cameraId]);
  useCaseEvents(
    useCallback(
      (changes) => {
        if (changes.some((c) => c.caseId === caseId)) detail.reload();
        if (cameraId) recent.reload();
      },
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [caseId, cameraId, detail.reload, recent.reload],
    ),
  );

  const list = rememberedCaseList();
  const at = list.ids.indexOf(caseId);
  const step = (delta: number) => {
    const id = at < 0 ? undefined : list.ids[at + delta];
    if (id) navigate(`/cases/${encodeURIComponent(id)}`);
  };
  const open = (id: string) => navigate(`/cases/${encodeURIComponent(id)}`);
  const cameraName = (id: string) => ref.cameras.find((c) => c.id === id)?.name || id;
  const codeLabel = (code: string) => eventCodeLabelOf(ref.codes, code, lang);
  /** A step that finished the case: say what happened; the case stays open here with its new state. */
  const onDone = (doneStep: DoneStep, after: CaseView, accessCode: string | null) => {
    toasts.push(doneToast(t, doneStep, after, accessCode));
    detail.reload();
    recent.reload();
  };

  if (!mayWork) return <Spinner />;
  return (
    <div className="case-screen">
      <div className="review-toolbar">
        <Link to={list.href} className="back-to-list">
          ← {t("All cases")}
        </Link>
        {at >= 0 && <span className="muted">{t("{i} of {n} on this page", { i: at + 1, n: list.ids.length })}</span>}
      </div>
      <div className="review-grid case-grid">
        <div className="workspace-column">
          <ErrorNotice error={detail.error} onRetry={detail.reload} />
          {detail.value ? (
            <CaseWorkspace
              key={detail.value.id}
              detail={detail.value}
              zone={zoneOf(ref.cameras, detail.value.cameraId, detail.value.zoneId)}
              zoneLabel={zoneNameOf(ref.cameras, detail.value.cameraId, detail.value.zoneId) ?? detail.value.zoneId ?? "—"}
              cameraLabel={cameraName(detail.value.cameraId)}
              eventCodeLabel={codeLabel(detail.value.eventCode)}
              reasons={ref.reasons}
              onChanged={() => (detail.reload(), recent.reload())}
              onDone={onDone}
              onNext={() => step(1)}
              onPrevious={() => step(-1)}
            />
          ) : (
            !detail.error && <Spinner />
          )}
        </div>
        {detail.value && (
          <CameraSidePanel
            camera={ref.cameras.find((c) => c.id === cameraId)}
            cameraId={detail.value.cameraId}
            recent={recent.value?.items ?? []}
            currentId={detail.value.id}
            onSelect={open}
          />
        )}
      </div>
      <Toasts toasts={toasts.toasts} onDismiss={toasts.dismiss} />
    </div>
  );
}
