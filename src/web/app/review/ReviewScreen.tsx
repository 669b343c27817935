import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { get, qs } from "../api/client.ts";
import type { CaseDetail, CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useLoad } from "../shell/feedback.tsx";
import { QueueFilters, type Filters } from "./QueueFilters.tsx";
import { bulkSelectable, QueueList } from "./QueueList.tsx";
import { CaseWorkspace, type DoneStep } from "./CaseWorkspace.tsx";
import { CameraSidePanel } from "./CameraSidePanel.tsx";
import { useCaseEvents } from "./useCaseEvents.ts";
import { eventCodeLabelOf, useReferenceData, zoneNameOf, zoneOf } from "./useReferenceData.ts";
import { doneToast, Toasts, useToasts } from "./Toasts.tsx";
import { BulkBar, BulkResults, type BulkOutcome } from "./BulkActions.tsx";

/**
 * The operator's screen: queue on the left, the selected case in the middle, its camera on
 * the right. New candidates arrive over SSE without a reload; the selection survives reloads.
 */
export function ReviewScreen({ initialState = "" }: { initialState?: string }) {
  const { t, lang } = useI18n();
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
  const items = useMemo(() => list.value?.items ?? [], [list.value]);
  const fresh = useNewArrivals(list.loading ? undefined : list.value?.items, sound, `${filters.street}|${filters.cameraId}|${filters.code}|${filters.state}`);

  const detail = useLoad((signal) => (selectedId ? get<CaseDetail>(`/cases/${selectedId}`, signal) : Promise.resolve(null)), [selectedId]);
  const cameraId = detail.value?.cameraId;
  const recent = useLoad((signal) => (cameraId ? get<Page<CaseView>>(`/cases${qs({ cameraId, limit: 8 })}`, signal) : Promise.resolve(null)), [cameraId]);

  // Keep something selected: the first item once the queue has one. Not while the list reloads after an action,
  // and never a case just dealt with: the list on screen may still show it for a moment.
  const finished = useRef(new Set<string>());
  const firstId = items.find((c) => !finished.current.has(c.id))?.id;
  useEffect(() => {
    if (!selectedId && firstId && !list.loading) setSelectedId(firstId);
  }, [firstId, selectedId, list.loading]);
  // Once a reloaded list no longer has a finished case, forget it: should it come back (a party's statement), it is news again.
  useEffect(() => {
    if (list.loading) return;
    for (const id of finished.current) if (!items.some((c) => c.id === id)) finished.current.delete(id);
  }, [items, list.loading]);

  // Items ticked for a bulk action; an item that left the queue (someone else acted on it) drops out.
  const [pickedIds, setPickedIds] = useState<ReadonlySet<string>>(new Set());
  const picked = useMemo(() => items.filter((c) => pickedIds.has(c.id) && bulkSelectable(c)), [items, pickedIds]);
  const pick = (ids: string[], on: boolean) =>
    setPickedIds((cur) => {
      const next = new Set(cur);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  const [bulk, setBulk] = useState<BulkOutcome | null>(null);
  const toasts = useToasts();

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

  /** The item after the current one (or before it, at the end), leaving out cases that are done. */
  function advanceFrom(done: ReadonlySet<string>) {
    for (const id of done) finished.current.add(id);
    const i = items.findIndex((c) => c.id === selectedId);
    const open = (c: CaseView) => !finished.current.has(c.id);
    const after = items.slice(i + 1).find(open) ?? items.slice(0, Math.max(i, 0)).reverse().find(open);
    setSelectedId(after?.id ?? null);
  }

  function onChanged() {
    detail.reload();
    list.reload();
    recent.reload();
  }

  /** A step that finished the case here: say what happened to which case, and go on to the next item instead of a blank workspace. */
  function onDone(step: DoneStep, after: CaseView, accessCode: string | null) {
    toasts.push(doneToast(t, step, after, accessCode));
    advanceFrom(new Set([after.id]));
    list.reload();
    recent.reload();
  }

  function onBulkDone(outcome: BulkOutcome) {
    setBulk(outcome);
    setPickedIds(new Set());
    // Every case of the selection was just dealt with (or found changed by someone else): the next item is one not among them.
    const touched = new Set(outcome.results.map((r) => r.id));
    if (selectedId && touched.has(selectedId)) advanceFrom(touched);
    else detail.reload();
    list.reload();
    recent.reload();
  }

  const cameraName = (id: string) => ref.cameras.find((c) => c.id === id)?.name || id;
  const codeLabel = (code: string) => eventCodeLabelOf(ref.codes, code, lang);

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
          {picked.length > 0 && <BulkBar picked={picked} reasons={ref.reasons} onClear={() => setPickedIds(new Set())} onDone={onBulkDone} />}
          <ErrorNotice error={list.error} onRetry={list.reload} />
          {list.loading && !list.value ? (
            <Spinner />
          ) : (
            <QueueList items={items} selectedId={selectedId} onSelect={setSelectedId} cameraName={cameraName} picked={pickedIds} onPick={pick} />
          )}
        </div>
        <div className="workspace-column">
          {bulk && <BulkResults outcome={bulk} onClose={() => setBulk(null)} />}
          <ErrorNotice error={detail.error} onRetry={detail.reload} />
          {selectedId && detail.value?.id === selectedId ? (
            <CaseWorkspace
              key={detail.value.id}
              detail={detail.value}
              zone={zoneOf(ref.cameras, detail.value.cameraId, detail.value.zoneId)}
              zoneLabel={zoneNameOf(ref.cameras, detail.value.cameraId, detail.value.zoneId) ?? detail.value.zoneId ?? "—"}
              cameraLabel={cameraName(detail.value.cameraId)}
              eventCodeLabel={codeLabel(detail.value.eventCode)}
              reasons={ref.reasons}
              onChanged={onChanged}
              onDone={onDone}
              onNext={() => step(1)}
              onPrevious={() => step(-1)}
            />
          ) : selectedId ? (
            <Spinner />
          ) : (
            !list.loading && (
              <p className="empty workspace-empty" data-queue-done>
                {t("Nothing left to review here; new candidates appear in the queue live")}
              </p>
            )
          )}
          <p className="keys muted">
            {t("Keys")}: C {t("Confirm")} · R {t("Reject")} · M {t("Merge")} · J/↓ {t("Next")} · K/↑ {t("Previous")} · 1–9 {t("Dispatch")} · V {t("Verify")} · X{" "}
            {t("Close case")} · L {t("Live view")} · A {t("Full-process record")}
          </p>
        </div>
        {selectedId && detail.value?.id === selectedId && (
          <CameraSidePanel
            camera={ref.cameras.find((c) => c.id === cameraId)}
            cameraId={detail.value.cameraId}
            recent={recent.value?.items ?? []}
            currentId={detail.value.id}
            onSelect={setSelectedId}
          />
        )}
      </div>
      <Toasts toasts={toasts.toasts} onDismiss={toasts.dismiss} />
    </div>
  );
}

/**
 * Items that arrived since the operator last looked, and items with a party's statement that
 * arrived since then: counted on a badge and in the tab title, with an optional short tone.
 * The first load counts as seen.
 */
function useNewArrivals(loaded: CaseView[] | undefined, sound: boolean, scope: string) {
  const items = loaded ?? [];
  // Per item seen: how many statements it had then (a new one makes it news again).
  const seen = useRef<Map<string, number> | null>(null);
  // The list as last loaded: "seen" during a reload means what was on screen, not the empty list meanwhile.
  const shown = useRef<CaseView[]>([]);
  const [count, setCount] = useState(0);
  const snapshot = (list: CaseView[]) => new Map(list.map((c) => [c.id, c.statements?.total ?? 0]));
  // Another filter shows other items: they are not news.
  useEffect(() => {
    seen.current = null;
    setCount(0);
  }, [scope]);
  useEffect(() => {
    if (loaded === undefined) return;
    shown.current = loaded;
    if (seen.current === null) {
      seen.current = snapshot(items);
      return;
    }
    const known = seen.current;
    const n = items.filter((c) => !known.has(c.id) || (c.statements?.total ?? 0) > known.get(c.id)!).length;
    if (n > count && sound) beep();
    setCount(n);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, "");
    document.title = count > 0 ? `(${count}) ${base}` : base;
  }, [count]);
  const markSeen = () => {
    seen.current = snapshot(shown.current);
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
