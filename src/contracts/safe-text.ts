import { z } from "zod";

/**
 * Text that PostgreSQL, JSON logs and every browser can hold: no NUL (PostgreSQL text and
 * jsonb refuse it, which once stalled a whole ingest batch), no lone UTF-16 surrogates
 * (not encodable as UTF-8), and a length limit. Every string an edge or a person sends
 * goes through this (contract schemas; HTTP bodies, queries and paths via
 * `textInputProblem`).
 */
export const MAX_TEXT_LENGTH = 10_000;

// Without the u flag the pattern sees UTF-16 code units, so unpaired halves are visible.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this string may not be stored, or null when it is fine. */
export function textProblem(s: string): string | null {
  if (s.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(s)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return null;
}

/** A zod string with the checks above; `max` defaults to MAX_TEXT_LENGTH. */
export function safeText(max = MAX_TEXT_LENGTH) {
  return z
    .string()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/**
 * The first unstorable (or over-long) string anywhere inside a parsed JSON value or query object (keys
 * included), with its path, or null. Walks at most `maxNodes` nodes so a huge body
 * cannot make the check itself expensive (express.json already bounds the body's size).
 */
export function textInputProblem(value: unknown, maxNodes = 100_000): { path: string; problem: string } | null {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: "" }];
  let seen = 0;
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (++seen > maxNodes) return null;
    if (typeof v === "string") {
      // A backstop: each API shape sets its own tighter limits.
      const problem = v.length > MAX_TEXT_LENGTH ? `is longer than ${MAX_TEXT_LENGTH} characters` : textProblem(v);
      if (problem) return { path: path || "(value)", problem };
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: `${path}[${i}]` }));
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const problem = textProblem(k);
        if (problem) return { path: `${path}.(key)`, problem };
        stack.push({ v: x, path: path ? `${path}.${k}` : k });
      }
    }
  }
  return null;
}
