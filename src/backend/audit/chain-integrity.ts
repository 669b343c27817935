import { auditEntryHash, chainGenesisHash, toJson } from "./audit-hash.ts";

interface ChainEntry {
  seq: number;
  at: Date;
  actorId: string;
  action: string;
  caseId: string | null;
  before: unknown;
  after: unknown;
  evidenceSha256: string | null;
  prevHash: string;
  hash: string;
}

/** Recomputes every entry's hash and its link to the one before, from the chain's genesis: false when anything was altered. */
export function chainIntact(chain: string, entries: readonly ChainEntry[]): boolean {
  let prev = chainGenesisHash(chain);
  for (const e of entries) {
    if (e.prevHash !== prev) return false;
    const h = auditEntryHash({
      chain,
      seq: e.seq,
      at: e.at,
      actorId: e.actorId,
      action: e.action,
      caseId: e.caseId,
      before: toJson(e.before),
      after: toJson(e.after),
      evidenceSha256: e.evidenceSha256,
      prevHash: e.prevHash,
    });
    if (h !== e.hash) return false;
    prev = e.hash;
  }
  return true;
}
