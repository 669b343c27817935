import { useEffect, useState, type FormEvent } from "react";
import { get, qs } from "../api/client.ts";
import { downloadFile } from "../api/download.ts";
import { caseStates, caseTableSorts, ruleKinds, type CaseTablePage, type CaseTableSort, type FieldStaffMember } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, ProgressBar, Spinner, useAction, useLoad } from "../shell/feedback.tsx";
import { Link, navigate, useLocation } from "../shell/router.tsx";
import { useUser } from "../shell/session.tsx";
import { caseHref, normaliseCaseNumber, rememberCaseList } from "./case-links.ts";
import { useReferenceData } from "./useReferenceData.ts";

/** Filters kept in the address, so a reload, a shared link or "back" from a case shows the same list. */
const filterKeys = ["state", "rule", "cameraId", "street", "assigneeId", "from", "to", "number"] as const;
type FilterKey = (typeof filterKeys)[number];
const pageSizes = [10, 25, 50, 100];
const sortLabels: Record<CaseTableSort, string> = { newest: "Newest first", oldest: "Oldest first", priority: "Highest priority first" };

/** The instant a calendar day (YYYY-MM-DD of a date input) starts in the browser's zone; `plusDays` 1 gives its end. */
function dayStart(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString() : undefined;
}

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "Asia/Shanghai";

/**
 * Every case, for the command center and supervisors: filters, sort, keyset pages, a CSV of
 * the filtered list. Each row opens the case (the workspace; supervisors the record).
 */
export function CaseListScreen() {
  const { t, lang } = useI18n();
  const user = useUser();
  const { query } = useLocation();
  const ref = useReferenceData();
  const staff = useLoad((signal) => get<FieldStaffMember[]>("/all-cases/assignees", signal).catch(() => [] as FieldStaffMember[]), []);

  const f = Object.fromEntries(filterKeys.map((k) => [k, query.get(k) ?? ""])) as Record<FilterKey, string>;
  const sort = (caseTableSorts as readonly string[]).includes(query.get("sort") ?? "") ? (query.get("sort") as CaseTableSort) : "newest";
  const limit = pageSizes.includes(Number(query.get("limit"))) ? Number(query.get("limit")) : 25;
  const after = query.get("after") ?? "";
  const before = query.get("before") ?? "";
  const pageNo = Math.max(1, Number(query.get("page")) || 1);
  const rangeBackwards = Boolean(f.from && f.to && f.from > f.to);

  const filterParams = {
    state: f.state,
    rule: f.rule,
    cameraId: f.cameraId,
    street: f.street,
    assigneeId: f.assigneeId,
    from: dayStart(f.from),
    to: f.to ? dayStart(f.to, 1) : undefined,
    number: f.number,
    sort,
  };
  const apiQuery = qs({ ...filterParams, limit, after, before });
  const list = useLoad((signal) => (rangeBackwards ? Promise.resolve(null) : get<CaseTablePage>(`/all-cases${apiQuery}`, signal)), [apiQuery, rangeBackwards]);
  const page = list.value ?? null;
  // The server answers a page before the first with the first page: count from there.
  const shownPage = page && page.prev === null ? 1 : pageNo;

  const here = `/cases${location.search}`;
  useEffect(() => {
    if (page)
      rememberCaseList(
        here,
        page.items.map((c) => c.id),
      );
  }, [page, here]);

  /** A new filter starts again on the first page; the address is replaced, not stacked. */
  function setParams(changes: Record<string, string>, keepPage = false) {
    const p = new URLSearchParams(location.search);
    if (!keepPage) for (const k of ["after", "before", "page"]) p.delete(k);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const s = p.toString();
    navigate(`/cases${s ? `?${s}` : ""}`, !keepPage);
  }
  const onFilter = (k: FilterKey | "sort" | "limit") => (e: { target: { value: string } }) => setParams({ [k]: e.target.value });
  const turn = (dir: "after" | "before", cursor: string) =>
    setParams(
      { after: dir === "after" ? cursor : "", before: dir === "before" ? cursor : "", page: String(dir === "after" ? shownPage + 1 : shownPage - 1) },
      true,
    );

  const streets = [...new Set(ref.cameras.map((c) => c.street).filter((s): s is string => !!s))].sort();
  const anyFilter = filterKeys.some((k) => f[k]);

  return (
    <section className="case-list">
      <div className="screen-head">
        <h2>{t("All cases")}</h2>
        <div className="actions">
          <CsvExport path={`/all-cases/export${qs({ ...filterParams, lang, timeZone: timeZone() })}`} disabled={rangeBackwards} />
        </div>
      </div>
      <div className="filters case-filters" role="search">
        <label>
          {t("State")}
          <select name="state" value={f.state} onChange={onFilter("state")}>
            <option value="">{t("All")}</option>
            {caseStates.map((s) => (
              <option key={s} value={s}>
                {t(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("Violation")}
          <select name="rule" value={f.rule} onChange={onFilter("rule")}>
            <option value="">{t("All")}</option>
            {ruleKinds.map((r) => (
              <option key={r} value={r}>
                {t(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("Camera")}
          <select name="cameraId" value={f.cameraId} onChange={onFilter("cameraId")}>
            <option value="">{t("All")}</option>
            {ref.cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name || c.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("Street")}
          <select name="street" value={f.street} onChange={onFilter("street")}>
            <option value="">{t("All")}</option>
            {streets.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          {t("Assignee")}
          <select name="assigneeId" value={f.assigneeId} onChange={onFilter("assigneeId")}>
            <option value="">{t("All")}</option>
            {(staff.value ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {t(s.role)}
                {s.active ? "" : ` (${t("inactive")})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("From")}
          <input type="date" name="from" value={f.from} max={f.to || undefined} onChange={onFilter("from")} />
        </label>
        <label>
          {t("To")}
          <input type="date" name="to" value={f.to} min={f.from || undefined} onChange={onFilter("to")} />
          {rangeBackwards && <span className="field-error">{t("The end date is before the start date")}</span>}
        </label>
        <NumberFilter value={f.number} onApply={(n) => setParams({ number: n })} />
        <label>
          {t("Order")}
          <select name="sort" value={sort} onChange={onFilter("sort")}>
            {caseTableSorts.map((s) => (
              <option key={s} value={s}>
                {t(sortLabels[s])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("Per page")}
          <select name="limit" value={limit} onChange={onFilter("limit")}>
            {pageSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {anyFilter && (
          <button type="button" className="link-button clear-filters" onClick={() => setParams(Object.fromEntries(filterKeys.map((k) => [k, ""])))}>
            {t("Clear filters")}
          </button>
        )}
      </div>

      <ErrorNotice error={list.error} onRetry={list.reload} />
      {list.loading && !page && !rangeBackwards && <Spinner />}
      {page && (
        <>
          <p className="list-summary muted" role="status" data-total={page.total}>
            {!page.totalExact
              ? t("More than {n} cases", { n: page.total.toLocaleString() })
              : page.total === 1
                ? t("1 case")
                : t("{n} cases", { n: page.total.toLocaleString() })}
            {page.items.length > 0 && ` · ${t("Page {n}", { n: shownPage })}`}
          </p>
          {page.items.length === 0 ? (
            <p className="empty">{f.number ? t("No case with this number") : t("No cases match these filters")}</p>
          ) : (
            <div className="table-wrap">
              <table className="table case-table" aria-busy={list.loading}>
                <thead>
                  <tr>
                    <th>{t("Case number")}</th>
                    <th>{t("State")}</th>
                    <th>{t("Violation")}</th>
                    <th>{t("Camera")}</th>
                    <th>{t("Street")}</th>
                    <th>{t("Observed")}</th>
                    <th>{t("Priority")}</th>
                    <th>{t("Assignee")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((c) => (
                    <tr key={c.id} data-case-id={c.id} data-case-number={c.number}>
                      <td>
                        <Link to={caseHref(user.role, c.id)} className="case-link">
                          {c.number}
                        </Link>
                      </td>
                      <td>
                        <span className={`badge state-${c.state}`}>{t(c.state)}</span> {c.overdue && <span className="badge overdue">{t("Overdue")}</span>}
                      </td>
                      <td>
                        {t(c.rule)} <span className="muted">{c.eventCode}</span>
                      </td>
                      <td>{c.cameraName || c.cameraId}</td>
                      <td>{c.street ?? "—"}</td>
                      <td>{formatTime(c.startedAt, lang)}</td>
                      <td>{c.priority}</td>
                      <td>{c.dispatch ? (c.assigneeName ?? c.dispatch.assigneeId) : "—"}</td>
                      <td>
                        <Link to={`/cases/${encodeURIComponent(c.id)}/record`}>{t("Full-process record")}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="pager actions">
            <button type="button" name="previousPage" disabled={!page.prev || list.loading} onClick={() => page.prev && turn("before", page.prev)}>
              ← {t("Previous page")}
            </button>
            <button type="button" name="nextPage" disabled={!page.next || list.loading} onClick={() => page.next && turn("after", page.next)}>
              {t("Next page")} →
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** The case-number filter applies on Enter (or leaving the field), not on every key. */
function NumberFilter({ value, onApply }: { value: string; onApply: (n: string) => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState(value);
  useEffect(() => setTyped(value), [value]);
  const canonical = typed.trim() ? normaliseCaseNumber(typed) : "";
  function apply(e?: FormEvent) {
    e?.preventDefault();
    if (canonical !== null && canonical !== value) onApply(canonical);
  }
  return (
    <form className="number-filter" onSubmit={apply}>
      <label>
        {t("Case number")}
        <input name="number" placeholder="CW-000123" value={typed} onChange={(e) => setTyped(e.target.value)} onBlur={() => apply()} />
        {canonical === null && <span className="field-error">{t("A case number looks like CW-000123")}</span>}
      </label>
    </form>
  );
}

function CsvExport({ path, disabled }: { path: string; disabled: boolean }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const action = useAction();
  const day = new Date().toLocaleDateString("sv-SE");
  return (
    <>
      <button
        type="button"
        name="exportCsv"
        disabled={disabled || action.busy}
        onClick={() => void action.run(() => downloadFile(path, `curbwatch-cases-${day}.csv`, setProgress))}
      >
        {action.busy ? t("Exporting…") : t("Export CSV")}
      </button>
      {action.busy && <ProgressBar fraction={progress} label={t("Exporting…")} />}
      <ErrorNotice error={action.error} />
    </>
  );
}
