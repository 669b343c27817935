import { useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { weekdays, type HourGrid } from "./schedule.ts";

const dayLabels: Record<string, string> = { mon: "一", tue: "二", wed: "三", thu: "四", fri: "五", sat: "六", sun: "日" };

/** Weekly arming grid: press and drag across hours to arm or disarm them. */
export function ScheduleGrid({ value, onChange }: { value: HourGrid; onChange: (g: HourGrid) => void }) {
  const { t, lang } = useI18n();
  const [painting, setPainting] = useState<boolean | null>(null);
  const set = (d: number, h: number, on: boolean) => {
    if (value[d][h] === on) return;
    onChange(value.map((row, i) => (i === d ? row.map((v, j) => (j === h ? on : v)) : row)));
  };
  return (
    <div className="schedule" onMouseUp={() => setPainting(null)} onMouseLeave={() => setPainting(null)}>
      <div className="schedule-title">
        {t("Weekly schedule")} <span className="muted">({t("Always armed when empty")})</span>
      </div>
      <table className="schedule-grid" role="grid">
        <thead>
          <tr>
            <th />
            {Array.from({ length: 24 }, (_, h) => (
              <th key={h}>{h % 3 === 0 ? h : ""}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weekdays.map((d, di) => (
            <tr key={d}>
              <th>{lang === "zh" ? dayLabels[d] : d}</th>
              {value[di].map((on, h) => (
                <td
                  key={h}
                  className={on ? "on" : ""}
                  data-day={d}
                  data-hour={h}
                  aria-selected={on}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    setPainting(!on);
                    set(di, h, !on);
                  }}
                  onMouseEnter={() => painting !== null && set(di, h, painting)}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
