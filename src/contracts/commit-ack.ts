import { z } from "zod";

/**
 * The back end's end-to-end acknowledgement to one edge: which candidate messages it has
 * finished with. `committed` were written (or found already written: a duplicate or an older
 * seq) in a transaction that has committed; `rejected` can never be written (malformed,
 * refused) and must not be resent. Either way the edge may forget them. Published at QoS 1,
 * not retained, on `curbwatch/v1/edge/{edgeId}/ack` after each batch commit.
 */
export const COMMIT_ACK_SCHEMA = "curbwatch.ack/v1";

export const commitAckEntrySchema = z.object({
  candidateId: z.string().min(1).max(256),
  seq: z.number().int().nonnegative(),
  outcome: z.enum(["committed", "rejected"]),
});
export type CommitAckEntry = z.infer<typeof commitAckEntrySchema>;

export const commitAckSchema = z.object({
  schema: z.literal(COMMIT_ACK_SCHEMA),
  acks: z.array(commitAckEntrySchema).max(100_000),
});
export type CommitAck = z.infer<typeof commitAckSchema>;

/** The key the edge and the back end both use for one candidate message. */
export const candidateMessageKey = (candidateId: string, seq: number): string => `${candidateId}\u0000${seq}`;
