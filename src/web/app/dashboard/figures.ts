import { get, qs } from "../api/client.ts";
import type { Camera, CaseView, Page } from "../api/types.ts";

export interface Figures {
  total: number;
  candidates: number;
  confirmed: number;
  rejected: number;
  falsePositiveRate: number | null;
  overdue: number;
  byStreet: Record<string, number>;
  byCode: Record<string, number>;
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

const MAX_CASES = 2000;

/**
 * Figures for a period, counted from the case list (the statistics API's per-street rows are
 * used when the back end has them). Progress is reported page by page: a month can be thousands of cases.
 */
export async function loadFigures(p: Period, cameras: Camera[], onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Figures> {
  const range = { from: p.from.toISOString(), to: p.to.toISOString() };
  const items: CaseView[] = [];
  let total = Infinity;
  while (items.length < Math.min(total, MAX_CASES)) {
    const page = await get<Page<CaseView>>(`/cases${qs({ ...range, limit: 200, offset: items.length })}`, signal);
    total = page.total;
    items.push(...page.items);
    onProgress(total ? Math.min(1, items.length / Math.min(total, MAX_CASES)) : 1);
    if (!page.items.length) break;
  }
  const r721 = await get<{ byClass: Figures["split721"] }>(`/reports/721${qs(range)}`, signal).catch(() => ({ byClass: { service: 0, management: 0, enforcement: 0 } }));
  const street = new Map(cameras.map((c) => [c.id, c.street ?? c.id]));
  const f: Figures = { total: Number.isFinite(total) ? total : 0, candidates: 0, confirmed: 0, rejected: 0, falsePositiveRate: null, overdue: 0, byStreet: {}, byCode: {}, split721: r721.byClass };
  for (const c of items) {
    if (c.state === "candidate") f.candidates++;
    else if (c.state === "rejected") f.rejected++;
    else if (c.state !== "merged") f.confirmed++;
    if (c.overdue) f.overdue++;
    const s = street.get(c.cameraId) ?? c.cameraId;
    f.byStreet[s] = (f.byStreet[s] ?? 0) + 1;
    f.byCode[c.eventCode] = (f.byCode[c.eventCode] ?? 0) + 1;
  }
  const reviewed = f.confirmed + f.rejected;
  f.falsePositiveRate = reviewed ? f.rejected / reviewed : null;
  onProgress(1);
  return f;
}
