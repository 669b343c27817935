import type { PrismaClient } from "../../generated/prisma/client.ts";

const AUDIT_TABLES = ["AuditEntry", "AuditAnchor", "AuditAnchorHead"] as const;

/**
 * Makes the full-process record append-only in the database: an UPDATE or DELETE needs a
 * deliberate `ALTER TABLE … DISABLE TRIGGER` first (and `curbwatch audit verify` detects
 * the edit anyway). Installed at start-up, idempotently, under a lock so replicas starting
 * together do not race.
 */
export async function installAppendOnlyGuard(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(7301042)`);
    await tx.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION curbwatch_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'the full-process record is append-only (% on % refused)', TG_OP, TG_TABLE_NAME;
       END
       $$`,
    );
    for (const t of AUDIT_TABLES) {
      await tx.$executeRawUnsafe(
        `CREATE OR REPLACE TRIGGER "${t}_append_only" BEFORE UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION curbwatch_audit_append_only()`,
      );
    }
  });
}
