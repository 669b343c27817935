import type { Schedule } from "../../../contracts/edge-config.ts";

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

/** 7 × 24 booleans: [day][hour] armed. */
export type HourGrid = boolean[][];

const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** Schedule ranges → hour grid. An empty schedule means "always armed", shown as an empty grid with a note. */
export function gridFromSchedule(schedule: Schedule): HourGrid {
  const grid = weekdays.map(() => Array<boolean>(24).fill(false));
  for (const r of schedule) {
    const from = Number(r.from.slice(0, 2));
    const toH = Number(r.to.slice(0, 2)) + (r.to.endsWith(":00") ? 0 : 1);
    for (const d of r.days) for (let h = from; h < Math.min(24, toH); h++) grid[weekdays.indexOf(d)][h] = true;
  }
  return grid;
}

/** Hour grid → the contract's ranges: runs of armed hours, days with the same run sharing one range. */
export function scheduleFromGrid(grid: HourGrid): Schedule {
  const out: Schedule = [];
  grid.forEach((hours, d) => {
    let start = -1;
    for (let h = 0; h <= 24; h++) {
      const on = h < 24 && hours[h];
      if (on && start < 0) start = h;
      if (!on && start >= 0) {
        const from = hh(start);
        const to = h === 24 ? "24:00" : hh(h);
        const same = out.find((r) => r.from === from && r.to === to);
        if (same) same.days.push(weekdays[d]);
        else out.push({ days: [weekdays[d]], from, to });
        start = -1;
      }
    }
  });
  return out;
}
