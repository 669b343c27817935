import type { Tx } from "./tx.ts";

export interface NewDeadLetter {
  topic: string;
  candidateId?: string | null;
  seq?: number | null;
  cameraId?: string | null;
  edgeId?: string | null;
  reason: string;
  /** The message; stored as JSON text, in which JSON.stringify escapes NUL and lone surrogates. */
  message: unknown;
}

/** Candidate messages the database refused, kept with their reason for administrators. */
export class DeadLetterRepository {
  async add(tx: Tx, d: NewDeadLetter): Promise<void> {
    await tx.intakeDeadLetter.create({
      data: {
        topic: storable(d.topic),
        candidateId: d.candidateId == null ? null : storable(d.candidateId),
        seq: d.seq ?? null,
        cameraId: d.cameraId == null ? null : storable(d.cameraId),
        edgeId: d.edgeId == null ? null : storable(d.edgeId),
        reason: storable(d.reason),
        payload: JSON.stringify(d.message) ?? "null",
      },
    });
  }

  async list(tx: Tx, opts: { limit: number; offset: number; since?: Date }) {
    const where = opts.since ? { at: { gte: opts.since } } : {};
    const [total, rows] = await Promise.all([
      tx.intakeDeadLetter.count({ where }),
      tx.intakeDeadLetter.findMany({ where, orderBy: { id: "desc" }, take: opts.limit, skip: opts.offset }),
    ]);
    return { total, items: rows.map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString() })) };
  }

  async countSince(tx: Tx, since: Date): Promise<number> {
    return tx.intakeDeadLetter.count({ where: { at: { gte: since } } });
  }
}

/** NUL and lone surrogates replaced by U+FFFD, so the reason of a refusal can itself be stored. */
function storable(s: string): string {
  return s.replaceAll("\u0000", "\uFFFD").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
