import { get, qs } from "../api/client.ts";
import { downloadFile } from "../api/download.ts";
import type { GroupStatistics, Statistics } from "../api/types.ts";

export type { GroupStatistics };

export interface Figures {
  candidates: number;
  confirmed: number;
  rejected: number;
  falsePositiveRate: number | null;
  overdue: number;
  byStreet: GroupStatistics[];
  byCode: GroupStatistics[];
  rejectedByReason: Record<string, number>;
  split721: { service: number; management: number; enforcement: number };
}

export interface Period {
  from: Date;
  to: Date;
}

export function today(now = new Date()): Period {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

export function thisMonth(now = new Date()): Period {
  return { from: new Date(now.getFullYear(), now.getMonth(), 1), to: new Date(now.getFullYear(), now.getMonth() + 1, 1) };
}

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "Asia/Shanghai";

export function statisticsQuery(p: Period, by: "street" | "code" | "day" | "camera", format: "json" | "csv" = "json", lang?: "en" | "zh"): string {
  return `/statistics${qs({ from: p.from.toISOString(), to: p.to.toISOString(), by, format, timeZone: timeZone(), lang })}`;
}

/** Totals are summed over the per-code groups (every case has exactly one code). */
export async function loadFigures(p: Period, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Figures> {
  onProgress(0.1);
  const byCode = (await get<Statistics>(statisticsQuery(p, "code"), signal)).groups;
  onProgress(0.55);
  const byStreet = (await get<Statistics>(statisticsQuery(p, "street"), signal)).groups;
  onProgress(1);
  const sum = (k: "candidates" | "confirmed" | "rejected" | "overdue") => byCode.reduce((n, g) => n + g[k], 0);
  const confirmed = sum("confirmed");
  const rejected = sum("rejected");
  const rejectedByReason: Record<string, number> = {};
  for (const g of byCode) for (const [r, n] of Object.entries(g.rejectedByReason)) rejectedByReason[r] = (rejectedByReason[r] ?? 0) + n;
  const split721 = { service: 0, management: 0, enforcement: 0 };
  for (const g of byCode) for (const k of ["service", "management", "enforcement"] as const) split721[k] += g.split721[k];
  return {
    candidates: sum("candidates"),
    confirmed,
    rejected,
    falsePositiveRate: confirmed + rejected ? rejected / (confirmed + rejected) : null,
    overdue: sum("overdue"),
    byStreet,
    byCode,
    rejectedByReason,
    split721,
  };
}

/** Downloads the CSV with byte progress (a year by camera can be large on a slow link). */
export function downloadCsv(
  p: Period,
  by: "day" | "street" | "camera" | "code",
  onProgress: (fraction: number | null) => void,
  lang: "en" | "zh" = "zh",
): Promise<void> {
  return downloadFile(statisticsQuery(p, by, "csv", lang), `curbwatch-statistics-${by}-${p.from.toISOString().slice(0, 10)}.csv`, onProgress);
}
