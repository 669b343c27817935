import type { CandidateEvent } from "../../contracts/index.ts";
import type { RefusalReason } from "./intake-ownership.ts";

/**
 * What became of one candidate message once ingest is done with it. Every outcome is final
 * (the message is acked to the broker); an acknowledgement to the edge can be built on it.
 */
export type IntakeOutcome =
  /** Committed: the case now holds this seq (or a newer one from the same batch). */
  | { kind: "stored" }
  /** Already held: a redelivery or an older seq; nothing changed. */
  | { kind: "duplicate" }
  /** The case is closed, merged or rejected: the message went into its record, not onto it. */
  | { kind: "late"; caseState: string }
  /** Forged or misaddressed (see intake-ownership.ts): nothing written. */
  | { kind: "refused"; reason: RefusalReason; detail: string }
  /** The database refused what it holds: set aside in the dead-letter table with the reason. */
  | { kind: "dead_lettered"; reason: string };

export interface SettledMessage {
  event: CandidateEvent;
  outcome: IntakeOutcome;
}

/** Called once per committed batch with every message's outcome, after the commit and before the acks. */
export type SettledListener = (settled: SettledMessage[]) => void;
