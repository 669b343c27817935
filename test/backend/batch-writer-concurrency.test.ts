import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import { CandidateBatchWriter } from "../../src/backend/ingest/batch-writer.ts";
import { IngestStats } from "../../src/backend/ingest/ingest-stats.ts";
import { ChangeFeed } from "../../src/backend/services/change-feed.ts";
import { AuditRepository } from "../../src/backend/repositories/audit.repository.ts";
import { createRepositories } from "../../src/backend/repositories/repositories.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { candidate } from "./backend-harness.ts";

describe.runIf(postgresAvailable())("batch writer with several transactions in flight (real PostgreSQL)", () => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = await createTestDatabase("cw_writers");
    drop = t.drop;
    db = await openDatabase({ url: t.url, pgliteDir: "memory://" });
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it("applies every message of a candidate once and in arrival order, though batches of other candidates commit at the same time", async () => {
    const stats = new IngestStats();
    const log = createLogger("t", "silent");
    // Tiny batches and three writers: many batches are in flight at once.
    const writer = new CandidateBatchWriter(db, createRepositories(db), new ChangeFeed(null, log), stats, log, { maxMessages: 7, maxWaitMs: 1, writers: 3 });
    let settled = 0;
    let concurrent = 0;
    let peak = 0;
    const real = db.rawTransaction.bind(db);
    db.rawTransaction = async (fn) => {
      peak = Math.max(peak, ++concurrent);
      try {
        return await real(fn);
      } finally {
        concurrent--;
      }
    };
    const candidates = Array.from({ length: 12 }, (_, i) => `order-${i}`);
    const seqs = 15;
    let total = 0;
    // Interleaved arrival: seq 0 of every candidate, then seq 1 of every candidate, …
    for (let seq = 0; seq < seqs; seq++)
      for (const id of candidates) {
        total++;
        writer.add(candidate(`cam-${id}`, id, seq, { edgeId: "edge-test" }), () => settled++);
      }
    const { unwritten } = await writer.drain(60_000);
    expect(unwritten).toBe(0);
    expect(settled).toBe(total);
    expect(peak).toBeGreaterThan(1);
    expect(stats.stale).toBe(0); // nothing arrived "late" because another batch overtook it

    const audit = new AuditRepository();
    for (const id of candidates) {
      const c = await db.prisma.case.findUniqueOrThrow({ where: { candidateId: id } });
      expect(c.candidateSeq).toBe(seqs - 1);
      const entries = await audit.entriesOf(db.prisma, id);
      const applied = entries.flatMap((e) => (e.after as { seqsApplied: number[] }).seqsApplied);
      expect(applied).toEqual(Array.from({ length: seqs }, (_, s) => s));
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    }
  });
});
