import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../shared/logger.ts";
import type { RawSql } from "../repositories/tx.ts";
import { applyMigrations } from "./migrate.ts";

export type DatabaseKind = "pglite" | "postgresql";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /**
   * One transaction of raw SQL statements. On PostgreSQL it runs on a connection of its own
   * pool, straight through node-postgres: the intake's batches are a handful of set-based
   * statements each, and the ORM's per-transaction and per-query work was a large share of
   * their CPU. On the embedded database it is an ordinary interactive transaction.
   */
  rawTransaction<T>(fn: (sql: RawSql) => Promise<T>): Promise<T>;
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
  /** Connections for raw transactions (PostgreSQL only; opened on first use). */
  rawPoolSize?: number;
  migrate?: boolean;
  log?: Logger;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void> = async () => {};
  let kind: DatabaseKind;
  let rawPool: pg.Pool | null = null;
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
  const url = opts.url;
  const rawPoolOf = (): pg.Pool => {
    if (rawPool) return rawPool;
    rawPool = new pg.Pool({ connectionString: url, max: opts.rawPoolSize ?? 4, connectionTimeoutMillis: 5_000, query_timeout: 30_000 });
    // An idle connection the server dropped: the pool discards it; the next transaction opens another.
    rawPool.on("error", (err) => opts.log?.warn({ err }, "raw SQL connection lost while idle"));
    return rawPool;
  };
  return {
    kind,
    prisma,
    factory,
    rawTransaction: url ? (fn) => pgTransaction(rawPoolOf(), fn) : (fn) => prisma.$transaction((tx) => fn(tx), { timeout: 30_000, maxWait: 30_000 }),
    async ping() {
      try {
        await prisma.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await (rawPool as pg.Pool | null)?.end();
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}

async function pgTransaction<T>(pool: pg.Pool, fn: (sql: RawSql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(rawSqlOf(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Raw SQL over one node-postgres connection (inside whatever transaction it has open). */
export function rawSqlOf(client: pg.ClientBase): RawSql {
  return {
    $queryRawUnsafe: async <R>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as R,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
  };
}
