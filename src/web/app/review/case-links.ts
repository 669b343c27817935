import type { Role } from "../api/types.ts";

/** Who works on cases in the workspace; supervisors read them, field staff have their task screen. */
export const worksCases = (role: Role): boolean => role === "operator" || role === "administrator";

/** Where a case opens for this role: the workspace, the full-process record or the officer's task. */
export function caseHref(role: Role, id: string): string {
  const enc = encodeURIComponent(id);
  if (role === "officer" || role === "auxiliary") return `/tasks/${enc}`;
  return worksCases(role) ? `/cases/${enc}` : `/cases/${enc}/record`;
}

/**
 * A case number as people type it — CW-000123, cw123, 000123 or 123, full-width from a Chinese
 * input method too — written the way cases show it (CW-000123); null when it is none.
 */
export function normaliseCaseNumber(typed: string): string | null {
  const s = typed
    .trim()
    .replace(/[０-９Ａ-Ｚａ-ｚ]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[－—]/g, "-");
  const digits = /^(?:CW-?)?(\d{1,9})$/i.exec(s)?.[1];
  return digits ? `CW-${digits.padStart(6, "0")}` : null;
}

const LIST_KEY = "curbwatch.caseList";

/** The page of the all-cases table a case was opened from: `J`/`K` on the case step through it, and "back" returns to it. */
export function rememberCaseList(href: string, ids: string[]): void {
  try {
    sessionStorage.setItem(LIST_KEY, JSON.stringify({ href, ids }));
  } catch {
    /* storage full or disabled: the case still opens, without stepping */
  }
}

export function rememberedCaseList(): { href: string; ids: string[] } {
  try {
    const v = JSON.parse(sessionStorage.getItem(LIST_KEY) ?? "null") as { href?: unknown; ids?: unknown } | null;
    if (v && typeof v.href === "string" && Array.isArray(v.ids)) return { href: v.href, ids: v.ids.filter((x): x is string => typeof x === "string") };
  } catch {
    /* unreadable: start afresh */
  }
  return { href: "/cases", ids: [] };
}
