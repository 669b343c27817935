import { useCallback, useEffect, useRef, useState } from "react";
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
  const [sort, setSort] = useState<"" | "newest">(() => (localStorage.getItem("curbwatch.queueSort") === "newest" ? "newest" : ""));
  const [sound, setSound] = useState(() => localStorage.getItem("curbwatch.queueSound") === "on");

  const list = useLoad(
    (signal) => {
      const q = qs({ street: filters.street, cameraId: filters.cameraId, code: filters.code, state: filters.state, sort, limit: 100 });
      return get<Page<CaseView>>(filters.state ? `/cases${q}` : `/review-queue${q}`, signal);
    },
    [filters.street, filters.cameraId, filters.code, filters.state, sort],
  );
  const items = list.value?.items ?? [];
  const fresh = useNewArrivals(list.loading ? undefined : list.value?.items, sound, `${filters.street}|${filters.cameraId}|${filters.code}|${filters.state}`);

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
        <label className="queue-sort">
          {t("Order")}
          <select
            name="sort"
            value={sort}
            onChange={(e) => (localStorage.setItem("curbwatch.queueSort", e.target.value), setSort(e.target.value as "" | "newest"))}
          >
            <option value="">{t("Priority, oldest first")}</option>
            <option value="newest">{t("Newest first")}</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="sound"
            checked={sound}
            onChange={(e) => (localStorage.setItem("curbwatch.queueSound", e.target.checked ? "on" : "off"), setSound(e.target.checked))}
          />{" "}
          {t("Sound")}
        </label>
        {fresh.count > 0 && (
          <button
            type="button"
            className="badge new-items"
            data-new-count={fresh.count}
            onClick={() => (fresh.markSeen(), items[0] && setSelectedId(items[0].id))}
          >
            {t("{n} new", { n: fresh.count })}
          </button>
        )}
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
              onChanged={onChanged}
              onNext={() => step(1)}
              onPrevious={() => step(-1)}
            />
          ) : (
            selectedId && <Spinner />
          )}
          <p className="keys muted">
            {t("Keys")}: C {t("Confirm")} · R {t("Reject")} · M {t("Merge")} · J/↓ {t("Next")} · K/↑ {t("Previous")} · 1–9 {t("Dispatch")} · V {t("Verify")} · X{" "}
            {t("Close case")} · L {t("Live view")} · A {t("Full-process record")}
          </p>
        </div>
        {detail.value && (
          <CameraSidePanel
            camera={ref.cameras.find((c) => c.id === cameraId)}
            cameraId={detail.value.cameraId}
            recent={recent.value?.items ?? []}
            currentId={detail.value.id}
            onSelect={setSelectedId}
          />
        )}
      </div>
    </div>
  );
}

/**
 * Items that arrived since the operator last looked: counted on a badge and in the tab title,
 * with an optional short tone. The first load counts as seen.
 */
function useNewArrivals(loaded: CaseView[] | undefined, sound: boolean, scope: string) {
  const items = loaded ?? [];
  const seen = useRef<Set<string> | null>(null);
  const [count, setCount] = useState(0);
  // Another filter shows other items: they are not news.
  useEffect(() => {
    seen.current = null;
    setCount(0);
  }, [scope]);
  useEffect(() => {
    if (loaded === undefined) return;
    if (seen.current === null) {
      seen.current = new Set(items.map((c) => c.id));
      return;
    }
    const known = seen.current;
    const n = items.filter((c) => !known.has(c.id)).length;
    if (n > count && sound) beep();
    setCount(n);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, "");
    document.title = count > 0 ? `(${count}) ${base}` : base;
  }, [count]);
  const markSeen = () => {
    seen.current = new Set(items.map((c) => c.id));
    setCount(0);
  };
  return { count, markSeen };
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.15);
    osc.onended = () => void ctx.close();
  } catch {
    /* no audio device: the badge and title still tell */
  }
}
