import type { ChainHeadRef } from "../audit/audit-hash.ts";
import { anchorChainHeads, type AnchorResult } from "../audit/audit-anchor.ts";
import type { Database } from "../db/database.ts";
import type { AuditRepository, StoredAuditEntry } from "./audit.repository.ts";

export interface StoredAnchor {
  id: number;
  at: Date;
  prevHash: string;
  headsHash: string;
  headCount: number;
  hash: string;
}

/** A chain head an anchor recorded, with the hash its entry has now (null: the entry is gone). */
export interface AnchoredHead extends ChainHeadRef {
  entryHash: string | null;
}

/**
 * The whole full-process record over the back end's database: what verification reads
 * (entries, chain heads, anchors, evidence files) and the periodic anchoring of moved heads.
 */
export class AuditRecordRepository {
  constructor(
    private db: Database,
    private audit: AuditRepository,
  ) {}

  /** Entries in (chain, seq) order after the given position. */
  entriesAfter(after: { chain: string; seq: number } | null, limit: number): Promise<StoredAuditEntry[]> {
    return this.audit.entriesAfter(this.db.prisma, after, limit);
  }

  heads(): Promise<(ChainHeadRef & { anchoredSeq: number })[]> {
    return this.audit.heads(this.db.prisma);
  }

  /** Every anchor, oldest first. */
  async anchors(): Promise<StoredAnchor[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<StoredAnchor[]>(
      `SELECT id, at, "prevHash", "headsHash", "headCount", hash FROM "AuditAnchor" ORDER BY id`,
    );
    return rows.map((a) => ({ ...a, id: Number(a.id), at: new Date(a.at), headCount: Number(a.headCount) }));
  }

  async anchoredHeads(anchorId: number): Promise<AnchoredHead[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<AnchoredHead[]>(
      `SELECT h.chain, h.seq, h.hash, e.hash AS "entryHash" FROM "AuditAnchorHead" h
       LEFT JOIN "AuditEntry" e ON e.chain = h.chain AND e.seq = h.seq WHERE h."anchorId" = $1`,
      anchorId,
    );
    return rows.map((h) => ({ ...h, seq: Number(h.seq) }));
  }

  /** Every stored evidence file's hash and recorded size. */
  async evidenceFiles(): Promise<{ sha256: string; bytes: number }[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<{ sha256: string; bytes: number }[]>(`SELECT sha256, bytes FROM "Evidence" ORDER BY sha256`);
    return rows.map((f) => ({ sha256: f.sha256, bytes: Number(f.bytes) }));
  }

  /** Anchors the heads of every chain that moved since the last anchor, in one transaction; null when none moved. */
  anchorMovedHeads(): Promise<AnchorResult | null> {
    return this.db.prisma.$transaction((tx) => anchorChainHeads(tx));
  }
}
