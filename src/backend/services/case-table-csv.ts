import type { CaseRecord as Case } from "../domain/case-record.ts";
import { caseNumber } from "../dtos/case.dto.ts";
import { clockRunningStates, type CaseState } from "../domain/case-transitions.ts";
import { wordFor, type Lang } from "./case-words.ts";
import { csvLine } from "./csv.ts";

/** Camera (with its street) and assignee names, by id. */
export interface TableNames {
  cameras: Map<string, { name: string; street: string | null }>;
  users: Map<string, string>;
}

type Cell = (c: Case, ctx: { names: TableNames; lang: Lang; time: (d: Date | null) => string; now: Date }) => unknown;

/** Columns of the all-cases export: English and Chinese header, and the cell of a case. */
const columns: { en: string; zh: string; cell: Cell }[] = [
  { en: "Case number", zh: "案件编号", cell: (c) => caseNumber(c.number) },
  { en: "State", zh: "状态", cell: (c, x) => wordFor(c.state, x.lang) },
  { en: "Violation", zh: "违法行为", cell: (c, x) => wordFor(c.rule, x.lang) },
  { en: "Event code", zh: "事件类型", cell: (c) => `${c.eventMajor}/${c.eventMinor}` },
  { en: "Camera", zh: "摄像头", cell: (c, x) => x.names.cameras.get(c.cameraId)?.name || c.cameraId },
  { en: "Street", zh: "街道", cell: (c, x) => x.names.cameras.get(c.cameraId)?.street ?? "" },
  { en: "Started at", zh: "发现时间", cell: (c, x) => x.time(c.startedAt) },
  { en: "Last seen", zh: "最后出现时间", cell: (c, x) => x.time(c.lastSeenAt) },
  { en: "Priority", zh: "优先级", cell: (c) => c.priority },
  { en: "Assignee", zh: "处置人", cell: (c, x) => (c.assigneeId ? (x.names.users.get(c.assigneeId) ?? c.assigneeId) : "") },
  { en: "Task", zh: "任务", cell: (c, x) => (c.taskKind ? wordFor(c.taskKind, x.lang) : "") },
  { en: "Outcome", zh: "处置结果", cell: (c, x) => (c.outcome ? wordFor(c.outcome, x.lang) : "") },
  { en: "Due at", zh: "处置时限", cell: (c, x) => x.time(c.dueAt) },
  {
    en: "Overdue",
    zh: "超期",
    cell: (c, x) => wordFor(c.dueAt !== null && c.dueAt < x.now && clockRunningStates.includes(c.state as CaseState) ? "yes" : "no", x.lang),
  },
  { en: "Closed at", zh: "结案时间", cell: (c, x) => x.time(c.closedAt) },
];

/** The header line, in the chosen language, after the byte-order mark the caller writes first. */
export const caseTableCsvHeader = (lang: Lang): string => csvLine(columns.map((c) => c[lang]));

/** Writes times as `2026-11-20 16:00:00` in the reader's zone: what Excel recognises as a date and time. */
export function csvTime(timeZone: string): (d: Date | null) => string {
  const f = new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
  return (d) => (d ? f.format(d) : "");
}

export function caseTableCsvRows(cases: Case[], names: TableNames, lang: Lang, time: (d: Date | null) => string, now: Date): string {
  const ctx = { names, lang, time, now };
  return cases.map((c) => csvLine(columns.map((col) => col.cell(c, ctx)))).join("");
}
