import { labelIn } from "../../../contracts/bilingual-label.ts";
import type { EventCode, RejectReason } from "../api/types.ts";
import type { Lang } from "./i18n.tsx";

/**
 * Reference data in the person's language. Event codes and rejection reasons are stored with
 * both languages in one label ("无照经营游商 (street vending)"): each screen shows one of them.
 */
export function eventCodeLabel(code: EventCode, lang: Lang): string {
  return `${code.major}/${code.minor} ${labelIn(code.name, lang)}`;
}

/** A rejection reason's words, by its code (the code itself only when the reason is unknown). */
export function rejectReasonLabel(code: string, reasons: RejectReason[], lang: Lang): string {
  const r = reasons.find((x) => x.code === code);
  return r ? labelIn(r.label, lang) : code;
}

export { labelIn };
