import { ANCHOR_GENESIS_HASH, anchorHash, anchorHeadsHash } from "./audit-hash.ts";
import type { Tx } from "../repositories/tx.ts";

/** Serialises anchoring across replicas (any constant works; it names this one job). */
const ANCHOR_LOCK_KEY = 7_301_041;

export interface AnchorResult {
  id: number;
  headCount: number;
  hash: string;
}

/**
 * Folds the heads of every chain that moved since the last anchor into one global
 * anchor chain. Per-case chains keep appends parallel; the anchor makes rewriting a
 * whole case chain (or deleting its tail) detectable too, and its hash is what one
 * would publish to an outside witness.
 */
export async function anchorChainHeads(tx: Tx, at = new Date()): Promise<AnchorResult | null> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ANCHOR_LOCK_KEY})`);
  const heads = await tx.$queryRawUnsafe<{ chain: string; seq: number; hash: string }[]>(
    `SELECT chain, seq, hash FROM "AuditChainHead" WHERE seq > "anchoredSeq" ORDER BY chain`,
  );
  if (heads.length === 0) return null;
  const last = await tx.$queryRawUnsafe<{ hash: string }[]>(`SELECT hash FROM "AuditAnchor" ORDER BY id DESC LIMIT 1`);
  const refs = heads.map((h) => ({ chain: h.chain, seq: Number(h.seq), hash: h.hash }));
  const prevHash = last[0]?.hash ?? ANCHOR_GENESIS_HASH;
  const headsHash = anchorHeadsHash(refs);
  const hash = anchorHash({ at, prevHash, headsHash, headCount: refs.length });
  const inserted = await tx.$queryRawUnsafe<{ id: number }[]>(
    `INSERT INTO "AuditAnchor" (at, "prevHash", "headsHash", "headCount", hash) VALUES ($1::timestamptz, $2, $3, $4, $5) RETURNING id`,
    at.toISOString(),
    prevHash,
    headsHash,
    refs.length,
    hash,
  );
  const id = Number(inserted[0].id);
  const json = JSON.stringify(refs);
  await tx.$executeRawUnsafe(
    `INSERT INTO "AuditAnchorHead" ("anchorId", chain, seq, hash)
     SELECT $2, chain, seq, hash FROM jsonb_to_recordset($1::jsonb) AS x(chain text, seq int, hash text)`,
    json,
    id,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "AuditChainHead" h SET "anchoredSeq" = GREATEST(h."anchoredSeq", x.seq)
     FROM jsonb_to_recordset($1::jsonb) AS x(chain text, seq int) WHERE h.chain = x.chain`,
    json,
  );
  return { id, headCount: refs.length, hash };
}
