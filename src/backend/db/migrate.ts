import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { noFilters, openSchemaEngine } from "./schema-engine.ts";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const SCHEMA_FILE = path.join(projectRoot, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(projectRoot, "prisma/migrations");

function readSchema() {
  return [{ path: SCHEMA_FILE, content: fs.readFileSync(SCHEMA_FILE, "utf8") }];
}

/** The committed migrations, in the shape Prisma's schema engine reads them. */
export function readMigrationList(dir = MIGRATIONS_DIR) {
  const lockPath = path.join(dir, "migration_lock.toml");
  const names = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => {
      const file = path.join(dir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file) ? ({ tag: "ok", value: fs.readFileSync(file, "utf8") } as const) : ({ tag: "error", value: `missing ${file}` } as const),
        },
      };
    }),
  };
}

/** Same effect as `prisma migrate deploy`: applies pending migrations, records them in _prisma_migrations. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string[]> {
  const engine = await openSchemaEngine(factory, readSchema());
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrationList(dir), filters: noFilters });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * SQL that takes a database at the committed migrations to the current schema.prisma
 * (what `prisma migrate dev --create-only` writes). Empty when they agree.
 */
export async function pendingSchemaSql(factory: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string> {
  const schema = readSchema();
  const engine = await openSchemaEngine(factory, schema);
  try {
    const result = await engine.diff({
      from: { tag: "migrations", ...readMigrationList(dir) },
      to: { tag: "schemaDatamodel", files: schema },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? "";
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql for the pending schema change. */
export async function createMigration(factory: SqlMigrationAwareDriverAdapterFactory, name: string, dir = MIGRATIONS_DIR): Promise<string | null> {
  const lock = path.join(dir, "migration_lock.toml");
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
  const sql = await pendingSchemaSql(factory, dir);
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = path.join(dir, `${stamp}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "migration.sql"), sql);
  return folder;
}
