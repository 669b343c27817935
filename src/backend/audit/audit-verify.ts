import fs from "node:fs";
import { createHash } from "node:crypto";
import { ANCHOR_GENESIS_HASH, anchorHash, anchorHeadsHash, auditEntryHash, chainGenesisHash } from "./audit-hash.ts";
import type { StoredAuditEntry } from "../repositories/audit.repository.ts";
import type { AuditRecordRepository } from "../repositories/audit-record.repository.ts";
import { evidencePath } from "../services/evidence-paths.ts";

export interface AuditProblem {
  kind: "entry" | "chain-head" | "anchor" | "evidence";
  where: string;
  problem: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  chains: number;
  entries: number;
  anchors: number;
  evidenceFiles: number;
  /** The first broken link found (entries are checked chain by chain, in order). */
  firstProblem: AuditProblem | null;
  problems: AuditProblem[];
}

const PAGE = 5000;
const MAX_PROBLEMS = 100;

/** What verification reads of the record. */
export type AuditRecordReads = Pick<AuditRecordRepository, "entriesAfter" | "heads" | "anchors" | "anchoredHeads" | "evidenceFiles">;

/**
 * Recomputes every chain, every anchor and every evidence file's sha256. Read-only;
 * works on PGlite and PostgreSQL alike.
 */
export async function verifyAuditRecord(record: AuditRecordReads, evidenceDir: string): Promise<AuditVerifyReport> {
  const problems: AuditProblem[] = [];
  const report = (p: AuditProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  // 1. Every chain: contiguous seq from 1, each entry links to the previous hash and hashes to itself.
  const lastOfChain = new Map<string, { seq: number; hash: string }>();
  const purged = new Set<string>();
  const evidenceMentioned = new Map<string, string>();
  let entries = 0;
  let cursor: { chain: string; seq: number } | null = null;
  let prev: StoredAuditEntry | null = null;
  for (;;) {
    const page = await record.entriesAfter(cursor, PAGE);
    if (page.length === 0) break;
    for (const e of page) {
      entries++;
      const sameChain = prev !== null && prev.chain === e.chain;
      const expectedSeq = sameChain ? prev!.seq + 1 : 1;
      const expectedPrev = sameChain ? prev!.hash : chainGenesisHash(e.chain);
      const where = `chain ${e.chain} seq ${e.seq} (entry id ${e.id}, ${e.action})`;
      if (e.seq !== expectedSeq) report({ kind: "entry", where, problem: `expected seq ${expectedSeq}: an entry is missing` });
      if (e.prevHash !== expectedPrev) report({ kind: "entry", where, problem: "prevHash does not match the previous entry's hash" });
      const recomputed = auditEntryHash(e);
      if (recomputed !== e.hash)
        report({ kind: "entry", where, problem: `content does not match its hash (stored ${e.hash.slice(0, 12)}…, recomputed ${recomputed.slice(0, 12)}…)` });
      lastOfChain.set(e.chain, { seq: e.seq, hash: e.hash });
      if (e.evidenceSha256) {
        if (e.action === "evidence.purged") purged.add(e.evidenceSha256);
        else if (e.action === "evidence.stored") evidenceMentioned.set(e.evidenceSha256, where);
      }
      prev = e;
    }
    const last: StoredAuditEntry = page[page.length - 1];
    cursor = { chain: last.chain, seq: last.seq };
  }

  // 2. Heads agree with the chains (a deleted tail shows here).
  const heads = await record.heads();
  for (const h of heads) {
    const last = lastOfChain.get(h.chain);
    if (h.seq === 0) continue;
    if (!last || last.seq !== h.seq || last.hash !== h.hash) {
      report({ kind: "chain-head", where: `chain ${h.chain}`, problem: `head says seq ${h.seq}, chain ends at ${last?.seq ?? 0}` });
    }
  }
  for (const chain of lastOfChain.keys()) {
    if (!heads.some((h) => h.chain === chain)) report({ kind: "chain-head", where: `chain ${chain}`, problem: "chain has no head row" });
  }

  // 3. The anchor chain, and every head it anchored still present with the same hash.
  const anchors = await record.anchors();
  let prevAnchor = ANCHOR_GENESIS_HASH;
  for (const a of anchors) {
    const where = `anchor ${a.id}`;
    const anchored = await record.anchoredHeads(a.id);
    if (a.prevHash !== prevAnchor) report({ kind: "anchor", where, problem: "prevHash does not match the previous anchor" });
    const refs = anchored.map((h) => ({ chain: h.chain, seq: Number(h.seq), hash: h.hash }));
    if (anchored.length !== Number(a.headCount) || anchorHeadsHash(refs) !== a.headsHash)
      report({ kind: "anchor", where, problem: "anchored heads do not match the anchor's digest" });
    if (anchorHash({ at: new Date(a.at), prevHash: a.prevHash, headsHash: a.headsHash, headCount: Number(a.headCount) }) !== a.hash) {
      report({ kind: "anchor", where, problem: "anchor content does not match its hash" });
    }
    for (const h of anchored) {
      if (h.entryHash !== h.hash)
        report({
          kind: "anchor",
          where: `${where}, chain ${h.chain} seq ${h.seq}`,
          problem: h.entryHash ? "anchored entry was rewritten" : "anchored entry is missing",
        });
    }
    prevAnchor = a.hash;
  }

  // 4. Evidence files: present, right size, right sha256; nothing the record mentions has vanished unrecorded.
  const files = await record.evidenceFiles();
  const stored = new Set<string>();
  for (const f of files) {
    stored.add(f.sha256);
    const file = evidencePath(evidenceDir, f.sha256);
    const where = `evidence ${f.sha256}`;
    if (!fs.existsSync(file)) {
      report({ kind: "evidence", where, problem: `file missing: ${file}` });
      continue;
    }
    const actual = await hashFile(file);
    if (actual.sha256 !== f.sha256) report({ kind: "evidence", where, problem: `file content changed (sha256 now ${actual.sha256.slice(0, 12)}…)` });
    else if (actual.bytes !== Number(f.bytes)) report({ kind: "evidence", where, problem: `size ${actual.bytes} differs from recorded ${f.bytes}` });
  }
  for (const [sha, where] of evidenceMentioned) {
    if (!stored.has(sha) && !purged.has(sha))
      report({ kind: "evidence", where: `evidence ${sha}`, problem: `recorded at ${where} but gone without a purge entry` });
  }

  return {
    ok: problems.length === 0,
    chains: lastOfChain.size,
    entries,
    anchors: anchors.length,
    evidenceFiles: files.length,
    firstProblem: problems[0] ?? null,
    problems,
  };
}

function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    let bytes = 0;
    fs.createReadStream(file)
      .on("data", (d) => {
        h.update(d);
        bytes += d.length;
      })
      .on("error", reject)
      .on("end", () => resolve({ sha256: h.digest("hex"), bytes }));
  });
}
