import type { Database } from "../db/database.ts";
import type { DeadLetterRepository } from "./dead-letter.repository.ts";

/** The dead-letter table as administrators and the health check read it (the ingest path writes it in its own transactions). */
export class DeadLetterReadRepository {
  constructor(
    private db: Database,
    private deadLetters: DeadLetterRepository,
  ) {}

  /** Newest first. */
  list(opts: { limit: number; offset: number; since?: Date }) {
    return this.deadLetters.list(this.db.prisma, opts);
  }

  countSince(since: Date): Promise<number> {
    return this.deadLetters.countSince(this.db.prisma, since);
  }
}
