/**
 * The figures a command center reports upward, as plain functions over case rows so a
 * test can check them against the rows it made. Times are measured from when the back end
 * first recorded the candidate (createdAt), in minutes.
 */
import type { Durations, GroupStatistics } from "../../contracts/statistics.ts";
import { csvField, UTF8_BOM } from "./csv.ts";
import { labelIn } from "../../contracts/bilingual-label.ts";

export type { Durations, GroupStatistics };

import type { StatisticsDimension } from "../../contracts/api/statistics.ts";
import type { StatisticsCaseRow } from "../repositories/statistics.repository.ts";

/** A case as the statistics count it, with its camera's street (as the statistics repository reads it). */
export type CaseFacts = StatisticsCaseRow;

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

/** Chinese column names for the CSV (the console asks in its language); English names are the keys. */
const zhColumns: Record<string, string> = {
  day: "日期",
  street: "街道",
  camera: "摄像头",
  code: "事件类型",
  candidates: "候选事件",
  confirmed: "已确认",
  rejected: "已驳回",
  false_positive_rate: "误报率",
  confirm_median_min: "确认用时中位数(分钟)",
  confirm_p90_min: "确认用时P90(分钟)",
  dispatch_median_min: "派遣用时中位数(分钟)",
  dispatch_p90_min: "派遣用时P90(分钟)",
  close_median_min: "结案用时中位数(分钟)",
  close_p90_min: "结案用时P90(分钟)",
  overdue: "超期",
  split721_service: "721-服务",
  split721_management: "721-管理",
  split721_enforcement: "721-执法",
  outcome_education: "处置-教育劝导",
  outcome_order_to_correct: "处置-责令改正",
  outcome_file_case: "处置-立案",
  outcome_no_case_filed: "处置-不予立案",
  outcome_not_a_case: "处置-非转案",
};
/** English column names for people (lang=en); without a language the columns keep their keys, for programs. */
const enColumns: Record<string, string> = {
  day: "Day",
  street: "Street",
  camera: "Camera",
  code: "Event code",
  candidates: "Candidates",
  confirmed: "Confirmed",
  rejected: "Rejected",
  false_positive_rate: "False-positive rate",
  confirm_median_min: "Time to confirm, median (min)",
  confirm_p90_min: "Time to confirm, P90 (min)",
  dispatch_median_min: "Time to dispatch, median (min)",
  dispatch_p90_min: "Time to dispatch, P90 (min)",
  close_median_min: "Time to close, median (min)",
  close_p90_min: "Time to close, P90 (min)",
  overdue: "Overdue",
  split721_service: "721: service",
  split721_management: "721: management",
  split721_enforcement: "721: enforcement",
  outcome_education: "Outcome: education",
  outcome_order_to_correct: "Outcome: order to correct",
  outcome_file_case: "Outcome: case filed",
  outcome_no_case_filed: "Outcome: no case filed",
  outcome_not_a_case: "Outcome: not a case",
};
/** Names of the reference data a CSV row or column stands for, as stored (bilingual labels, see contracts/bilingual-label.ts). */
export interface CsvLabels {
  /** Rejection reason code → label. */
  rejectReasons?: Record<string, string>;
  /** Event code "05/01" → name. */
  eventCodes?: Record<string, string>;
}

/** Groups and reasons with no value of their own, in the CSV's language. */
const placeholders: Record<string, string> = { "(no street)": "（无街道）", "(none)": "（未注明）" };

/** CSV with one row per group; every reason and outcome seen becomes its own column. */
export function statisticsCsv(groups: GroupStatistics[], by: StatisticsDimension, lang: "keys" | "en" | "zh" = "keys", labels: CsvLabels = {}): string {
  // A reason's or code's own words in the CSV's language, never its code alone or both languages at once.
  const reasonName = (code: string) => {
    if (lang === "zh" && placeholders[code]) return placeholders[code];
    const label = labels.rejectReasons?.[code];
    return label ? labelIn(label, lang === "zh" ? "zh" : "en") : code;
  };
  const enColumn = (name: string) => enColumns[name] ?? (name.startsWith("rejected_") ? `Rejected: ${reasonName(name.slice("rejected_".length))}` : name);
  const zhColumn = (name: string) => zhColumns[name] ?? (name.startsWith("rejected_") ? `驳回-${reasonName(name.slice("rejected_".length))}` : name);
  const groupName = (group: string) => {
    if (lang === "zh" && placeholders[group]) return placeholders[group];
    const name = by === "code" ? labels.eventCodes?.[group] : undefined;
    return name ? `${group} ${labelIn(name, lang === "zh" ? "zh" : "en")}` : group;
  };
  const reasons = [...new Set(groups.flatMap((g) => Object.keys(g.rejectedByReason)))].sort();
  const outcomes = [...new Set(groups.flatMap((g) => Object.keys(g.outcomes)))].sort();
  const header = [
    by,
    "candidates",
    "confirmed",
    "rejected",
    "false_positive_rate",
    ...reasons.map((r) => `rejected_${r}`),
    "confirm_median_min",
    "confirm_p90_min",
    "dispatch_median_min",
    "dispatch_p90_min",
    "close_median_min",
    "close_p90_min",
    "overdue",
    ...outcomes.map((o) => `outcome_${o}`),
    "split721_service",
    "split721_management",
    "split721_enforcement",
  ];
  if (lang === "zh") header.splice(0, header.length, ...header.map(zhColumn));
  if (lang === "en") header.splice(0, header.length, ...header.map(enColumn));
  const lines = groups.map((g) => [
    groupName(g.group),
    g.candidates,
    g.confirmed,
    g.rejected,
    g.falsePositiveRate,
    ...reasons.map((r) => g.rejectedByReason[r] ?? 0),
    g.timeToConfirm.medianMinutes,
    g.timeToConfirm.p90Minutes,
    g.timeToDispatch.medianMinutes,
    g.timeToDispatch.p90Minutes,
    g.timeToClose.medianMinutes,
    g.timeToClose.p90Minutes,
    g.overdue,
    ...outcomes.map((o) => g.outcomes[o] ?? 0),
    g.split721.service,
    g.split721.management,
    g.split721.enforcement,
  ]);
  // A byte-order mark lets spreadsheet programs read the Chinese headers as UTF-8.
  return (lang === "zh" ? UTF8_BOM : "") + [header, ...lines].map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
}
