import { useRef, useState, type PointerEvent } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { weekdays, type HourGrid } from "./schedule.ts";

const dayLabels: Record<string, string> = { mon: "一", tue: "二", wed: "三", thu: "四", fri: "五", sat: "六", sun: "日" };

type Cell = { d: number; h: number };
type Stroke = { from: Cell; to: Cell; on: boolean; base: HourGrid };

/** The grid with the rectangle between two corners set to `on`. */
function paint(base: HourGrid, from: Cell, to: Cell, on: boolean): HourGrid {
  const [d0, d1] = [Math.min(from.d, to.d), Math.max(from.d, to.d)];
  const [h0, h1] = [Math.min(from.h, to.h), Math.max(from.h, to.h)];
  return base.map((row, d) => row.map((v, h) => (d >= d0 && d <= d1 && h >= h0 && h <= h1 ? on : v)));
}

function cellAt(x: number, y: number): Cell | null {
  const el = document.elementFromPoint(x, y) as HTMLElement | null;
  const td = el?.closest<HTMLElement>("td[data-day]");
  if (!td) return null;
  return { d: weekdays.indexOf(td.dataset.day as (typeof weekdays)[number]), h: Number(td.dataset.hour) };
}

/**
 * Weekly arming grid: press on a cell and drag to another to arm (or, starting on an armed
 * cell, disarm) the whole rectangle of days × hours between them. Pointer events, so a
 * finger works like a mouse.
 */
export function ScheduleGrid({ value, onChange }: { value: HourGrid; onChange: (g: HourGrid) => void }) {
  const { t, lang } = useI18n();
  const stroke = useRef<Stroke | null>(null);
  const [preview, setPreview] = useState<HourGrid | null>(null);
  const shown = preview ?? value;

  const move = (e: PointerEvent) => {
    const s = stroke.current;
    if (!s) return;
    const c = cellAt(e.clientX, e.clientY);
    if (!c || (c.d === s.to.d && c.h === s.to.h)) return;
    s.to = c;
    setPreview(paint(s.base, s.from, s.to, s.on));
  };
  const end = () => {
    const s = stroke.current;
    stroke.current = null;
    setPreview(null);
    if (s) onChange(paint(s.base, s.from, s.to, s.on));
  };

  return (
    <div className="schedule">
      <div className="schedule-title">
        {t("Weekly schedule")} <span className="muted">({t("Always armed when empty")})</span>
      </div>
      <small className="hint">{t("Drag from one corner to the other to arm a block of days and hours; start on an armed cell to clear")}</small>
      <table className="schedule-grid" role="grid" style={{ touchAction: "none" }} onPointerMove={move} onPointerUp={end} onPointerCancel={end}>
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
              <th>{lang === "zh" ? dayLabels[d] : t(d)}</th>
              {shown[di].map((on, h) => (
                <td
                  key={h}
                  className={on ? "on" : ""}
                  data-day={d}
                  data-hour={h}
                  aria-selected={on}
                  onPointerDown={(e) => {
                    e.preventDefault();
                    const from = { d: di, h };
                    stroke.current = { from, to: from, on: !value[di][h], base: value };
                    setPreview(paint(value, from, from, !value[di][h]));
                  }}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
