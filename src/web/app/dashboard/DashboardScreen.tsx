import { useMemo, useState } from "react";
import type { Camera } from "../api/types.ts";
import { get } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, ProgressBar, useLoad } from "../shell/feedback.tsx";
import { EChart } from "./EChart.tsx";
import { loadFigures, thisMonth, today, type Figures } from "./figures.ts";

/** Today's and this month's figures a command center reports upward. */
export function DashboardScreen() {
  const { t } = useI18n();
  const [period, setPeriod] = useState<"today" | "month">("today");
  const [progress, setProgress] = useState(0);
  const cameras = useLoad((signal) => get<Camera[]>("/cameras", signal).catch(() => [] as Camera[]), []);
  const figures = useLoad(
    (signal) => (cameras.value ? loadFigures(period === "today" ? today() : thisMonth(), cameras.value, setProgress, signal) : new Promise<Figures>(() => {})),
    [period, cameras.value],
  );
  const f = figures.value;
  return (
    <section className="dashboard">
      <div className="screen-head">
        <h2>{t("Dashboard")}</h2>
        <div className="segmented" role="tablist">
          <button type="button" role="tab" aria-selected={period === "today"} onClick={() => setPeriod("today")}>
            {t("Today")}
          </button>
          <button type="button" role="tab" aria-selected={period === "month"} onClick={() => setPeriod("month")}>
            {t("This month")}
          </button>
        </div>
      </div>
      <ErrorNotice error={figures.error} onRetry={figures.reload} />
      {figures.loading && <ProgressBar fraction={progress} label={`${t("Loading…")} ${Math.round(progress * 100)}%`} />}
      {f && <FigureCards f={f} />}
      {f && <Charts f={f} />}
    </section>
  );
}

function FigureCards({ f }: { f: Figures }) {
  const { t } = useI18n();
  const cards: [string, string][] = [
    [t("Cases"), String(f.total)],
    [t("Candidates"), String(f.candidates)],
    [t("Confirmed"), String(f.confirmed)],
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

function Charts({ f }: { f: Figures }) {
  const { t } = useI18n();
  const bar = (data: Record<string, number>) => {
    const entries = Object.entries(data).sort((a, b) => b[1] - a[1]).slice(0, 12);
    return {
      grid: { left: 80, right: 16, top: 16, bottom: 24 },
      tooltip: {},
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: entries.map((e) => e[0]).reverse() },
      series: [{ type: "bar", data: entries.map((e) => e[1]).reverse(), itemStyle: { color: "#1d6fb8" } }],
    };
  };
  const byStreet = useMemo(() => bar(f.byStreet), [f]);
  const byCode = useMemo(() => bar(f.byCode), [f]);
  const split = useMemo(
    () => ({
      tooltip: { trigger: "item" },
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
