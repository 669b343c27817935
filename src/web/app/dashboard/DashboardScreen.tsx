import { useMemo, useState } from "react";
import { get } from "../api/client.ts";
import type { EventCode } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { eventCodeLabel } from "../i18n/labels.ts";
import { ErrorNotice, ProgressBar, useAction, useLoad } from "../shell/feedback.tsx";
import { EChart } from "./EChart.tsx";
import { downloadCsv, loadFigures, thisMonth, today, type Figures, type GroupStatistics } from "./figures.ts";

/** Today's and this month's figures a command center reports upward, from GET /api/statistics. */
export function DashboardScreen() {
  const { t } = useI18n();
  const [period, setPeriod] = useState<"today" | "month">("today");
  const [progress, setProgress] = useState(0);
  const range = useMemo(() => (period === "today" ? today() : thisMonth()), [period]);
  const figures = useLoad((signal) => loadFigures(range, setProgress, signal), [range]);
  const f = figures.value;
  return (
    <section className="dashboard">
      <div className="screen-head">
        <h2>{t("Dashboard")}</h2>
        <div className="actions">
          <div className="segmented" role="tablist">
            <button type="button" role="tab" aria-selected={period === "today"} onClick={() => setPeriod("today")}>
              {t("Today")}
            </button>
            <button type="button" role="tab" aria-selected={period === "month"} onClick={() => setPeriod("month")}>
              {t("This month")}
            </button>
          </div>
          <CsvExport range={range} />
        </div>
      </div>
      <ErrorNotice error={figures.error} onRetry={figures.reload} />
      {figures.loading && <ProgressBar fraction={progress} label={`${t("Loading…")} ${Math.round(progress * 100)}%`} />}
      {f && <FigureCards f={f} />}
      {f && <Charts f={f} />}
    </section>
  );
}

function CsvExport({ range }: { range: { from: Date; to: Date } }) {
  const { t, lang } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const action = useAction();
  return (
    <>
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => downloadCsv(range, "day", setProgress, lang))}>
        {action.busy ? t("Exporting…") : t("Export CSV")}
      </button>
      {action.busy && <ProgressBar fraction={progress} label={t("Exporting…")} />}
      <ErrorNotice error={action.error} />
    </>
  );
}

function FigureCards({ f }: { f: Figures }) {
  const { t } = useI18n();
  const cards: [string, string][] = [
    [t("Candidates"), String(f.candidates)],
    [t("Confirmed"), String(f.confirmed)],
    [t("rejected"), String(f.rejected)],
    [t("False-positive rate"), f.falsePositiveRate === null ? "—" : `${(f.falsePositiveRate * 100).toFixed(1)}%`],
    [t("Overdue"), String(f.overdue)],
  ];
  return (
    <div className="figure-cards">
      {cards.map(([label, value]) => (
        <div className="figure card" key={label}>
          <span className="figure-value">{value}</span>
          <span className="figure-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

/** Stacked bars: confirmed and rejected per group, so the false positives show where they come from. */
function groupBars(groups: GroupStatistics[], t: (s: string) => string, name: (group: string) => string = (g) => g) {
  const rows = [...groups]
    .sort((a, b) => b.candidates - a.candidates)
    .slice(0, 12)
    .reverse();
  return {
    grid: { left: 140, right: 16, top: 30, bottom: 24 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: rows.map((g) => name(g.group)) },
    series: [
      { name: t("Confirmed"), type: "bar", stack: "n", data: rows.map((g) => g.confirmed), itemStyle: { color: "#1d6fb8" } },
      { name: t("rejected"), type: "bar", stack: "n", data: rows.map((g) => g.rejected), itemStyle: { color: "#ee6666" } },
      {
        name: t("candidate"),
        type: "bar",
        stack: "n",
        data: rows.map((g) => Math.max(0, g.candidates - g.confirmed - g.rejected)),
        itemStyle: { color: "#fac858" },
      },
    ],
  };
}

function Charts({ f }: { f: Figures }) {
  const { t, lang } = useI18n();
  // Event codes by their names in the person's language ("05/01 无照经营游商"), not the bare code.
  const codes = useLoad((signal) => get<EventCode[]>("/event-codes", signal).catch(() => [] as EventCode[]), []);
  const byStreet = useMemo(() => groupBars(f.byStreet, t, (g) => (g === "(no street)" ? t("No street") : g)), [f, t]);
  const byCode = useMemo(() => {
    const named = new Map((codes.value ?? []).map((c) => [`${c.major}/${c.minor}`, eventCodeLabel(c, lang)]));
    return groupBars(f.byCode, t, (g) => named.get(g) ?? g);
  }, [f, t, codes.value, lang]);
  const split = useMemo(
    () => ({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["40%", "70%"],
          data: (["service", "management", "enforcement"] as const).map((k) => ({ name: t(k), value: f.split721[k] })),
          color: ["#3ba272", "#fac858", "#ee6666"],
        },
      ],
    }),
    [f, t],
  );
  return (
    <div className="charts">
      <div className="card">
        <h3>{t("By street")}</h3>
        <EChart option={byStreet} label={t("By street")} />
      </div>
      <div className="card">
        <h3>{t("By event code")}</h3>
        <EChart option={byCode} label={t("By event code")} />
      </div>
      <div className="card">
        <h3>{t("721 split")}</h3>
        <EChart option={split} label={t("721 split")} />
      </div>
    </div>
  );
}
