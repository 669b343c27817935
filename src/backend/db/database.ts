import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../shared/logger.ts";
import { applyMigrations } from "./migrate.ts";

export type DatabaseKind = "pglite" | "postgresql";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** True when a trivial query round-trips. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgresql://… ; absent = embedded PGlite. */
  url?: string;
  /** Where PGlite keeps its files; "memory://" for a throw-away database. */
  pgliteDir: string;
  poolSize?: number;
  migrate?: boolean;
  log?: Logger;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void> = async () => {};
  let kind: DatabaseKind;
  if (opts.url) {
    kind = "postgresql";
    factory = new PrismaPg({ connectionString: opts.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  } else {
    kind = "pglite";
    if (!opts.pgliteDir.startsWith("memory://")) fs.mkdirSync(path.dirname(opts.pgliteDir), { recursive: true });
    const pglite = new PGlite(opts.pgliteDir);
    await pglite.waitReady;
    factory = new PrismaPGlite(pglite);
    closeDriver = () => pglite.close();
  }
  if (opts.migrate !== false) {
    const applied = await applyMigrations(factory);
    if (applied.length) opts.log?.info({ applied, kind }, "database migrations applied");
  }
  const prisma = new PrismaClient({ adapter: factory });
  return {
    kind,
    prisma,
    factory,
    async ping() {
      try {
        await prisma.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
