import { createHash } from "node:crypto";
import type { NewAuditEntry } from "../domain/case-record.ts";

/**
 * The hashing rules of the full-process record, kept apart from storage so that
 * the writer and `curbwatch audit verify` cannot disagree about them.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const sha256Hex = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

/** JSON with object keys sorted at every level: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  // Written as loops: this runs for every record entry, and the intake appends thousands a second.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Dates become ISO strings and undefined disappears, exactly as jsonb will give them back. */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  // Most values are plain JSON already; only the others pay for the round trip.
  return isPlainJson(value) ? (value as Json) : (JSON.parse(JSON.stringify(value)) as Json);
}

function isPlainJson(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== "object") return false;
  if (Array.isArray(v)) return v.every(isPlainJson);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k of Object.keys(v)) if (!isPlainJson((v as Record<string, unknown>)[k])) return false;
  return true;
}

export const chainGenesisHash = (chain: string): string => sha256Hex(`curbwatch/audit/v1/genesis/${chain}`);
export const ANCHOR_GENESIS_HASH = sha256Hex("curbwatch/audit/v1/anchor-genesis");

export interface AuditEntryContent {
  chain: string;
  seq: number;
  at: Date;
  actorId: string;
  action: string;
  caseId: string | null;
  before: Json;
  after: Json;
  evidenceSha256: string | null;
  prevHash: string;
}

/** What a new entry records, normalised as it will be stored and hashed (its chain position aside). */
export function entryBody(e: NewAuditEntry): Pick<AuditEntryContent, "actorId" | "action" | "caseId" | "before" | "after" | "evidenceSha256"> {
  return {
    actorId: e.actorId,
    action: e.action,
    caseId: e.caseId ?? null,
    before: toJson(e.before ?? null),
    after: toJson(e.after ?? null),
    evidenceSha256: e.evidenceSha256 ?? null,
  };
}

export function auditEntryHash(e: AuditEntryContent): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      chain: e.chain,
      seq: e.seq,
      at: e.at.toISOString(),
      actorId: e.actorId,
      action: e.action,
      caseId: e.caseId,
      before: e.before,
      after: e.after,
      evidenceSha256: e.evidenceSha256,
      prevHash: e.prevHash,
    }),
  );
}

export interface ChainHeadRef {
  chain: string;
  seq: number;
  hash: string;
}

/** Digest of the chain heads one anchor covers, in chain order. */
export function anchorHeadsHash(heads: ChainHeadRef[]): string {
  const lines = [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0)).map((h) => `${h.chain}\t${h.seq}\t${h.hash}\n`);
  return sha256Hex(lines.join(""));
}

export function anchorHash(a: { at: Date; prevHash: string; headsHash: string; headCount: number }): string {
  return sha256Hex(canonicalJson({ v: 1, at: a.at.toISOString(), prevHash: a.prevHash, headsHash: a.headsHash, headCount: a.headCount }));
}
