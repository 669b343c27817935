import { useCallback, useEffect, useState } from "react";
import { get, qs } from "../api/client.ts";
import type { CaseDetail, CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useLoad } from "../shell/feedback.tsx";
import { QueueFilters, type Filters } from "./QueueFilters.tsx";
import { QueueList } from "./QueueList.tsx";
import { CaseWorkspace } from "./CaseWorkspace.tsx";
import { CameraSidePanel } from "./CameraSidePanel.tsx";
import { useCaseEvents } from "./useCaseEvents.ts";
import { useReferenceData, zoneOf } from "./useReferenceData.ts";

/**
 * The operator's screen: queue on the left, the selected case in the middle, its camera on
 * the right. New candidates arrive over SSE without a reload; the selection survives reloads.
 */
export function ReviewScreen({ initialState = "" }: { initialState?: string }) {
  const { t } = useI18n();
  const ref = useReferenceData();
  const [filters, setFilters] = useState<Filters>({ street: "", cameraId: "", code: "", state: initialState });
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const list = useLoad(
    (signal) => {
      const q = qs({ street: filters.street, cameraId: filters.cameraId, code: filters.code, state: filters.state, limit: 100 });
      return get<Page<CaseView>>(filters.state ? `/cases${q}` : `/review-queue${q}`, signal);
    },
    [filters.street, filters.cameraId, filters.code, filters.state],
  );
  const items = list.value?.items ?? [];

  const detail = useLoad((signal) => (selectedId ? get<CaseDetail>(`/cases/${selectedId}`, signal) : Promise.resolve(null)), [selectedId]);
  const cameraId = detail.value?.cameraId;
  const recent = useLoad((signal) => (cameraId ? get<Page<CaseView>>(`/cases${qs({ cameraId, limit: 8 })}`, signal) : Promise.resolve(null)), [cameraId]);

  // Keep something selected: the first item once the queue has one.
  const firstId = items[0]?.id;
  useEffect(() => {
    if (!selectedId && firstId) setSelectedId(firstId);
  }, [firstId, selectedId]);

  const feed = useCaseEvents(
    useCallback(
      (changes) => {
        list.reload();
        if (selectedId && changes.some((c) => c.caseId === selectedId)) detail.reload();
        if (cameraId) recent.reload();
      },
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [selectedId, cameraId, list.reload, detail.reload, recent.reload],
    ),
  );

  const step = (delta: number) => {
    if (!items.length) return;
    const i = items.findIndex((c) => c.id === selectedId);
    const next = i < 0 ? 0 : Math.min(items.length - 1, Math.max(0, i + delta));
    setSelectedId(items[next].id);
  };

  function onChanged(after: CaseView | null, advance: boolean) {
    if (advance) {
      const rest = items.filter((c) => c.id !== selectedId);
      const i = items.findIndex((c) => c.id === selectedId);
      setSelectedId(rest[Math.min(Math.max(i, 0), rest.length - 1)]?.id ?? null);
    } else detail.reload();
    list.reload();
    recent.reload();
    void after;
  }

  const cameraName = (id: string) => ref.cameras.find((c) => c.id === id)?.name || id;

  return (
    <div className="review">
      <div className="review-toolbar">
        <QueueFilters value={filters} onChange={setFilters} cameras={ref.cameras} codes={ref.codes} />
        <span className={`feed feed-${feed}`} role="status">
          ● {t(feed === "live" ? "live" : "reconnecting")} · {list.value?.total ?? 0}
        </span>
      </div>
      <div className="review-grid">
        <div className="queue-column">
          <ErrorNotice error={list.error} onRetry={list.reload} />
          {list.loading && !list.value ? <Spinner /> : <QueueList items={items} selectedId={selectedId} onSelect={setSelectedId} cameraName={cameraName} />}
        </div>
        <div className="workspace-column">
          <ErrorNotice error={detail.error} onRetry={detail.reload} />
          {detail.value ? (
            <CaseWorkspace
              key={detail.value.id}
              detail={detail.value}
              zone={zoneOf(ref.cameras, detail.value.cameraId, detail.value.zoneId)}
              cameraLabel={cameraName(detail.value.cameraId)}
              reasons={ref.reasons}
              mergeTargets={[...(recent.value?.items ?? []), ...items]}
              onChanged={onChanged}
              onNext={() => step(1)}
              onPrevious={() => step(-1)}
            />
          ) : (
            selectedId && <Spinner />
          )}
          <p className="keys muted">
            {t("Keys")}: C {t("Confirm")} · R {t("Reject")} · M {t("Merge")} · J/↓ {t("Next")} · K/↑ {t("Previous")} · 1–9 {t("Dispatch")} · V {t("Verify")} · X {t("Close case")} · L {t("Live view")} · A {t("Full-process record")}
          </p>
        </div>
        {detail.value && (
          <CameraSidePanel camera={ref.cameras.find((c) => c.id === cameraId)} cameraId={detail.value.cameraId} recent={recent.value?.items ?? []} currentId={detail.value.id} onSelect={setSelectedId} />
        )}
      </div>
    </div>
  );
}
