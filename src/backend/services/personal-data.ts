import type { Actor } from "../domain/actor.ts";

/**
 * Field-level access to personal data. Identity and phone numbers are shown in full only
 * to the roles that take decisions on a person (administrator, operator, officer); the
 * auxiliary (协管员, no enforcement decisions) and the supervisor (oversight, not
 * individual cases' people) see them masked.
 */
export const seesFullPersonalData = (role: Actor["role"]): boolean => role === "administrator" || role === "operator" || role === "officer";

/** 110101199003071234 → 110***********1234: enough to tell two people apart, not enough to be one. */
export function maskIdNumber(id: string | null): string | null {
  if (id === null) return null;
  const s = id.trim();
  if (s.length <= 4) return "*".repeat(s.length);
  if (s.length <= 8) return `${"*".repeat(s.length - 2)}${s.slice(-2)}`;
  return `${s.slice(0, 3)}${"*".repeat(s.length - 7)}${s.slice(-4)}`;
}

/** Every run of 7+ digits (phone numbers; spaces and dashes allowed inside) is masked: 13812345678 → 138****5678, shorter ones keep their last 2. */
export function maskPhoneNumbers(text: string | null): string | null {
  if (text === null) return null;
  return text.replace(/\+?\d[\d -]{5,}\d/g, (run) => {
    const digits = run.replace(/\D/g, "");
    if (digits.length < 7) return run;
    return digits.length >= 11
      ? `${digits.slice(0, 3)}${"*".repeat(digits.length - 7)}${digits.slice(-4)}`
      : `${"*".repeat(digits.length - 2)}${digits.slice(-2)}`;
  });
}
