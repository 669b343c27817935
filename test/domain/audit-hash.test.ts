import { describe, expect, it } from "vitest";
import { canonicalJson, toJson } from "../../src/backend/audit/audit-hash.ts";

/** The plain definition the record's hashes were first written with: the fast one must agree with it. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(",")}}`;
}

const values: unknown[] = [
  null,
  undefined,
  0,
  -0,
  1.5e-7,
  '摊贩 "quoted" \\ \n',
  true,
  [],
  {},
  [1, undefined, null, "x", [2, [3]]],
  { b: 1, a: { d: [4, { z: 1, y: undefined }], c: null }, "": "empty key", 键: "值" },
  { at: new Date("2026-12-01T10:00:00Z"), n: NaN, inf: Infinity },
];

describe("record hashing rules", () => {
  it("writes canonical JSON exactly as the reference definition does", () => {
    for (const v of values) expect(canonicalJson(v)).toBe(reference(v));
  });

  it("gives a value as jsonb will give it back: dates as ISO text, undefined gone, non-finite numbers null", () => {
    for (const v of values) expect(toJson(v)).toEqual(v === undefined ? null : JSON.parse(JSON.stringify(v)));
    const plain = { a: [1, "x", { b: null }] };
    expect(toJson(plain)).toBe(plain); // plain JSON is not copied
    expect(toJson({ at: new Date("2026-12-01T10:00:00Z") })).toEqual({ at: "2026-12-01T10:00:00.000Z" });
    expect(toJson([1, undefined])).toEqual([1, null]);
    expect(toJson({ a: 1, b: undefined })).toEqual({ a: 1 });
  });
});
