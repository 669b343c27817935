/** A byte-order mark: without it Excel reads UTF-8 as the local code page and Chinese turns into mojibake. */
export const UTF8_BOM = "\uFEFF";

/** Quotes when needed, and defuses spreadsheet formulas (a street name could start with "="). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV record with its CRLF line end (RFC 4180, and what Excel writes). */
export const csvLine = (fields: readonly unknown[]): string => fields.map(csvField).join(",") + "\r\n";
