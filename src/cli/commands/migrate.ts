import path from "node:path";
import type { Command } from "commander";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { commandContext } from "../context.ts";
import { openDatabase } from "../../backend/db/database.ts";
import { createMigration } from "../../backend/db/migrate.ts";

export function register(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (PGlite under the data dir, or DATABASE_URL)")
    .action(async (_opts, cmd: Command) => {
      const { config, log } = commandContext(cmd, "migrate");
      const db = await openDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, "pglite"), log, migrate: true });
      log.info({ database: db.kind }, "database is up to date");
      await db.close();
    });

  program
    .command("make-migration <name>")
    .description("developers: write prisma/migrations/<stamp>_<name>/migration.sql for changes in prisma/schema.prisma")
    .action(async (name: string) => {
      // A throw-away in-memory PGlite serves as Prisma's shadow database.
      const folder = await createMigration(new PrismaPGlite(new PGlite()), name);
      console.log(folder ? `wrote ${folder}/migration.sql` : "schema.prisma matches the migrations; nothing to write");
    });
}
