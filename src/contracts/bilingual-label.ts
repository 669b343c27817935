/**
 * Reference data (event codes, rejection reasons) carries both languages in one label, the
 * Chinese first and the English in brackets: "无照经营游商 (street vending)". People read only
 * their own language, so every screen, export and document shows one of the two parts.
 * A label without such a pair (an administrator's own "非经营行为（行人停留）") is shown as is.
 */
const pair = /^(.*?[\u3400-\u9fff].*?)\s*[(（]\s*([\x20-\x7e]*[A-Za-z][\x20-\x7e]*?)\s*[)）]\s*$/;

export function labelIn(label: string, lang: "zh" | "en"): string {
  const m = pair.exec(label.trim());
  if (!m) return label;
  if (lang === "zh") return m[1].trim();
  return m[2].charAt(0).toUpperCase() + m[2].slice(1);
}
