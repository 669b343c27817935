import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/backend/db/database.ts";
import { readMigrationList } from "../../src/backend/db/migrate.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";

async function roundTrip(db: Awaited<ReturnType<typeof openDatabase>>) {
  const written = await db.prisma.edgeNode.create({
    data: { id: `edge-${Date.now()}`, state: "online", cameras: ["cam-a", "cam-b"], lastSeenAt: new Date("2026-11-01T08:00:00Z") },
  });
  const read = await db.prisma.edgeNode.findUniqueOrThrow({ where: { id: written.id } });
  expect(read.cameras).toEqual(["cam-a", "cam-b"]);
  expect(read.lastSeenAt.toISOString()).toBe("2026-11-01T08:00:00.000Z");
}

async function appliedMigrationNames(db: Awaited<ReturnType<typeof openDatabase>>): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
  );
  return rows.map((r) => r.migration_name);
}

const committed = readMigrationList().migrationDirectories.map((d) => d.path);

describe("migrations on embedded PGlite", () => {
  it("applies every committed migration and a row written through Prisma reads back", async () => {
    const db = await openDatabase({ pgliteDir: "memory://" });
    try {
      expect(await appliedMigrationNames(db)).toEqual(committed);
      await roundTrip(db);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(postgresAvailable())("migrations on real PostgreSQL", () => {
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => drop?.());

  it("applies every committed migration to a fresh database, is idempotent, and a row reads back", async () => {
    const fresh = await createTestDatabase("cw_migrate");
    drop = fresh.drop;
    const db = await openDatabase({ url: fresh.url, pgliteDir: "unused" });
    try {
      expect(await appliedMigrationNames(db)).toEqual(committed);
      await roundTrip(db);
    } finally {
      await db.close();
    }
    // Re-opening applies nothing new and keeps the data.
    const again = await openDatabase({ url: fresh.url, pgliteDir: "unused" });
    try {
      expect(await again.prisma.edgeNode.count()).toBe(1);
    } finally {
      await again.close();
    }
  });
});
