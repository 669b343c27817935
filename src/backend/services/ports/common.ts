import type { NewAuditEntry } from "../../domain/case-record.ts";
import type { CaseChange } from "../change-feed.ts";
import type { ContentCheck, StoreResult } from "../evidence-store.ts";
import type { Readable } from "node:stream";

/**
 * What the services ask of the world outside their rules, as interfaces: storage as units of
 * work, the record, change notices, the time and the party's access codes. The Prisma
 * implementations live in repositories/ (built by the composition root); in-memory ones for
 * tests in test/support/in-memory/.
 */

/** The time now as the service sees it: the composition root passes the system clock, tests a fixed one. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * Storage that runs one piece of work as a transaction: all of its writes commit together or
 * none does. The work may be run again after a serialization failure or deadlock, so it must
 * not have effects outside the unit it is given.
 */
export interface UnitOfWork<Unit> {
  transaction<T>(work: (unit: Unit) => Promise<T>): Promise<T>;
}

/** Appends to the cases' full-process record inside the unit, so an action and its record commit together. */
export interface RecordAppend {
  appendRecord(entries: NewAuditEntry[], at: Date): Promise<void>;
}

/** Tells the consoles (of every replica) what changed, once the change committed. */
export interface ChangeNotices {
  publish(changes: CaseChange[]): void;
}

/** Issues the party's access codes: the plain code leaves once in the answer, only the hash is stored. */
export interface AccessCodes {
  issue(): { code: string; hash: string };
}

/** Evidence files stored under their sha256 (services/evidence-store.ts on disk). */
export interface EvidenceFiles {
  pathOf(sha256: string): string;
  exists(sha256: string): boolean;
  put(sha256: string, body: Readable, checkContent?: ContentCheck): Promise<StoreResult>;
  remove(sha256: string): Promise<void>;
}

/** Evidence rows: the file itself (once per sha256) and its link to a candidate under a kind. */
export interface EvidenceLinking {
  recordStoredEvidence(e: { sha256: string; bytes: number; contentType: string }): Promise<void>;
  /** True when the link is new (a retried upload links nothing twice). */
  linkEvidence(l: { candidateId: string; sha256: string; kind: string; bytes: number; contentType: string }): Promise<boolean>;
}
