import { auditEntryHash, chainGenesisHash, entryBody, type AuditEntryContent, type ChainHeadRef, type Json } from "../audit/audit-hash.ts";
import type { NewAuditEntry } from "../domain/case-record.ts";
import type { RawSql } from "./tx.ts";

export type { NewAuditEntry };

export interface StoredAuditEntry extends AuditEntryContent {
  id: bigint;
  hash: string;
}

/** A chain's head as stored: null when the chain has no entry yet. */
export type ChainHeadState = { seq: number; hash: string } | null;

/**
 * Appends to per-case hash chains inside the caller's transaction, so an action and its
 * record commit together. Only the heads of the chains touched are locked, so unrelated
 * cases append in parallel; a whole batch of entries takes two statements, or one when the
 * caller already read and locked the heads.
 */
export class AuditRepository {
  /**
   * `lockedHeads`: heads the caller already read FOR UPDATE in this transaction (null = the
   * chain has no head yet; the intake reads them with its cases). Those chains cost no extra
   * statement; a chain started that way inserts its head with the entries, so a second
   * transaction starting the same chain at once fails on the head's key and is retried.
   * The other chains' heads are created if missing and locked here.
   */
  async append(tx: RawSql, entries: NewAuditEntry[], at = new Date(), lockedHeads?: ReadonlyMap<string, ChainHeadState>): Promise<void> {
    if (entries.length === 0) return;
    const chains = [...new Set(entries.map((e) => e.chain))].sort();
    const toLock = lockedHeads ? chains.filter((c) => !lockedHeads.has(c)) : chains;
    /** Heads whose row exists now (read by the caller, or locked here), and where each chain stands. */
    const rowExists = new Set(chains.filter((c) => lockedHeads?.get(c)));
    const head = new Map<string, { seq: number; hash: string }>();
    for (const c of chains) {
      const known = lockedHeads?.get(c);
      head.set(c, known ? { seq: known.seq, hash: known.hash } : { seq: 0, hash: chainGenesisHash(c) });
    }
    if (toLock.length) {
      // Create missing heads and lock all of them in one statement, in a fixed (sorted) order to
      // avoid deadlocks; the no-op update is what takes the lock on an existing head, and a
      // transaction starting the same chain waits for this one instead of failing.
      const rows = await tx.$queryRawUnsafe<{ chain: string; seq: number; hash: string }[]>(
        `INSERT INTO "AuditChainHead" (chain, seq, hash, "anchoredSeq", "updatedAt")
         SELECT c, 0, '', 0, $2::timestamptz FROM unnest($1::text[]) AS c ORDER BY c
         ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain
         RETURNING chain, seq, hash`,
        toLock,
        at.toISOString(),
      );
      for (const r of rows) {
        rowExists.add(r.chain);
        if (Number(r.seq) > 0) head.set(r.chain, { seq: Number(r.seq), hash: r.hash });
      }
    }
    const rows = entries.map((e) => {
      const h = head.get(e.chain)!;
      const content: AuditEntryContent = { chain: e.chain, seq: h.seq + 1, at, ...entryBody(e), prevHash: h.hash };
      const hash = auditEntryHash(content);
      head.set(e.chain, { seq: content.seq, hash });
      return { ...content, at: at.toISOString(), hash };
    });
    const moved = chains.filter((c) => rowExists.has(c)).map((c) => ({ chain: c, ...head.get(c)! }));
    const started = chains.filter((c) => !rowExists.has(c)).map((c) => ({ chain: c, ...head.get(c)! }));
    // The entries, the moved heads and the new ones in one statement: one round trip for the whole batch.
    await tx.$executeRawUnsafe(
      `WITH entries AS (
         INSERT INTO "AuditEntry" (chain, seq, at, "actorId", action, "caseId", before, after, "evidenceSha256", "prevHash", hash)
         SELECT chain, seq, at, "actorId", action, "caseId", before, after, "evidenceSha256", "prevHash", hash
         FROM json_to_recordset($1::json) AS x(chain text, seq int, at timestamptz, "actorId" text, action text, "caseId" text,
           before jsonb, after jsonb, "evidenceSha256" text, "prevHash" text, hash text)
       ), moved AS (
         UPDATE "AuditChainHead" h SET seq = x.seq, hash = x.hash, "updatedAt" = $4::timestamptz
         FROM json_to_recordset($2::json) AS x(chain text, seq int, hash text) WHERE h.chain = x.chain
       )
       INSERT INTO "AuditChainHead" (chain, seq, hash, "anchoredSeq", "updatedAt")
       SELECT chain, seq, hash, 0, $4::timestamptz FROM json_to_recordset($3::json) AS x(chain text, seq int, hash text) ORDER BY chain`,
      JSON.stringify(rows),
      JSON.stringify(moved),
      JSON.stringify(started),
      at.toISOString(),
    );
  }

  async entriesOf(tx: RawSql, chain: string): Promise<StoredAuditEntry[]> {
    const rows = await tx.$queryRawUnsafe<RawEntry[]>(`SELECT * FROM "AuditEntry" WHERE chain = $1 ORDER BY seq`, chain);
    return rows.map(fromRaw);
  }

  /** Entries in (chain, seq) order after the given position: keyset paging for verification. */
  async entriesAfter(tx: RawSql, after: { chain: string; seq: number } | null, limit: number): Promise<StoredAuditEntry[]> {
    const rows = after
      ? await tx.$queryRawUnsafe<RawEntry[]>(
          `SELECT * FROM "AuditEntry" WHERE (chain, seq) > ($1, $2) ORDER BY chain, seq LIMIT $3`,
          after.chain,
          after.seq,
          limit,
        )
      : await tx.$queryRawUnsafe<RawEntry[]>(`SELECT * FROM "AuditEntry" ORDER BY chain, seq LIMIT $1`, limit);
    return rows.map(fromRaw);
  }

  async heads(tx: RawSql): Promise<(ChainHeadRef & { anchoredSeq: number })[]> {
    const rows = await tx.$queryRawUnsafe<{ chain: string; seq: number; hash: string; anchoredSeq: number }[]>(
      `SELECT chain, seq, hash, "anchoredSeq" FROM "AuditChainHead" ORDER BY chain`,
    );
    return rows.map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash, anchoredSeq: Number(r.anchoredSeq) }));
  }
}

/** A row as the driver returns it: ids may be strings, timestamps strings or Dates. */
type RawEntry = Omit<StoredAuditEntry, "id" | "at"> & { id: bigint | number | string; at: Date | string };

function fromRaw(r: RawEntry): StoredAuditEntry {
  return {
    id: BigInt(r.id),
    chain: r.chain,
    seq: Number(r.seq),
    at: new Date(r.at),
    actorId: r.actorId,
    action: r.action,
    caseId: r.caseId,
    before: parseJson(r.before),
    after: parseJson(r.after),
    evidenceSha256: r.evidenceSha256,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** Drivers return jsonb either parsed or as text. */
function parseJson(v: Json): Json {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as Json;
    } catch {
      return v;
    }
  }
  return v ?? null;
}
