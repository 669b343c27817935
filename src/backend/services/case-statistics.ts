/**
 * The figures a command center reports upward, as plain functions over case rows so a
 * test can check them against the rows it made. Times are measured from when the back end
 * first recorded the candidate (createdAt), in minutes.
 */
import type { Durations, GroupStatistics } from "../../contracts/statistics.ts";

export type { Durations, GroupStatistics };

export const statisticsDimensions = ["day", "street", "camera", "code"] as const;
export type StatisticsDimension = (typeof statisticsDimensions)[number];

export interface CaseFacts {
  createdAt: Date;
  cameraId: string;
  street: string | null;
  eventMajor: string;
  eventMinor: string;
  state: string;
  rejectReason: string | null;
  confirmedAt: Date | null;
  dispatchedAt: Date | null;
  closedAt: Date | null;
  overdueAt: Date | null;
  outcome: string | null;
  class721: string | null;
}


/** Nearest-rank percentile (p in 0..1) of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function durations(rows: CaseFacts[], end: (r: CaseFacts) => Date | null): Durations {
  const minutes = rows.flatMap((r) => {
    const e = end(r);
    return e ? [(e.getTime() - r.createdAt.getTime()) / 60_000] : [];
  });
  minutes.sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return { count: minutes.length, medianMinutes: round(percentile(minutes, 0.5)), p90Minutes: round(percentile(minutes, 0.9)) };
}

export function groupKey(r: CaseFacts, by: StatisticsDimension, timeZone: string): string {
  if (by === "day") return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(r.createdAt);
  if (by === "street") return r.street ?? "(no street)";
  if (by === "camera") return r.cameraId;
  return `${r.eventMajor}/${r.eventMinor}`;
}

const confirmedStates = new Set(["confirmed", "dispatched", "handled", "verified", "closed"]);

export function summarise(group: string, rows: CaseFacts[]): GroupStatistics {
  const confirmed = rows.filter((r) => r.confirmedAt !== null || confirmedStates.has(r.state)).length;
  const rejectedRows = rows.filter((r) => r.state === "rejected");
  const count = (values: (string | null)[]) => {
    const out: Record<string, number> = {};
    for (const v of values) if (v) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  const split = count(rows.map((r) => r.class721));
  return {
    group,
    candidates: rows.length,
    confirmed,
    rejected: rejectedRows.length,
    rejectedByReason: count(rejectedRows.map((r) => r.rejectReason ?? "(none)")),
    falsePositiveRate: confirmed + rejectedRows.length === 0 ? null : Math.round((rejectedRows.length / (confirmed + rejectedRows.length)) * 10_000) / 10_000,
    timeToConfirm: durations(rows, (r) => r.confirmedAt),
    timeToDispatch: durations(rows, (r) => r.dispatchedAt),
    timeToClose: durations(rows, (r) => r.closedAt),
    overdue: rows.filter((r) => r.overdueAt !== null).length,
    outcomes: count(rows.map((r) => r.outcome)),
    split721: { service: split.service ?? 0, management: split.management ?? 0, enforcement: split.enforcement ?? 0 },
  };
}

export function statisticsBy(rows: CaseFacts[], by: StatisticsDimension, timeZone = "Asia/Shanghai"): GroupStatistics[] {
  const groups = new Map<string, CaseFacts[]>();
  for (const r of rows) {
    const k = groupKey(r, by, timeZone);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => summarise(k, g));
}

/** CSV with one row per group; every reason and outcome seen becomes its own column. */
export function statisticsCsv(groups: GroupStatistics[], by: StatisticsDimension): string {
  const reasons = [...new Set(groups.flatMap((g) => Object.keys(g.rejectedByReason)))].sort();
  const outcomes = [...new Set(groups.flatMap((g) => Object.keys(g.outcomes)))].sort();
  const header = [
    by, "candidates", "confirmed", "rejected", "false_positive_rate",
    ...reasons.map((r) => `rejected_${r}`),
    "confirm_median_min", "confirm_p90_min", "dispatch_median_min", "dispatch_p90_min", "close_median_min", "close_p90_min",
    "overdue", ...outcomes.map((o) => `outcome_${o}`), "split721_service", "split721_management", "split721_enforcement",
  ];
  const lines = groups.map((g) => [
    g.group, g.candidates, g.confirmed, g.rejected, g.falsePositiveRate,
    ...reasons.map((r) => g.rejectedByReason[r] ?? 0),
    g.timeToConfirm.medianMinutes, g.timeToConfirm.p90Minutes, g.timeToDispatch.medianMinutes, g.timeToDispatch.p90Minutes, g.timeToClose.medianMinutes, g.timeToClose.p90Minutes,
    g.overdue, ...outcomes.map((o) => g.outcomes[o] ?? 0), g.split721.service, g.split721.management, g.split721.enforcement,
  ]);
  return [header, ...lines].map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** Quotes when needed, and defuses spreadsheet formulas (a street name could start with "="). */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
