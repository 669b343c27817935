import fs from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter.
 * Prisma's CLI would download a native schema-engine binary from its CDN; this needs
 * nothing beyond the npm registry and runs the same migration logic on PGlite and PostgreSQL.
 */
type EngineModule = typeof engineBindings & { __wbg_set_wasm(exports: unknown): void };
let loaded: Promise<EngineModule> | null = null;

function loadWasm(): Promise<EngineModule> {
  loaded ??= (async () => {
    const bindingsUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(fileURLToPath(bindingsUrl)), "schema_engine_bg.wasm");
    const mod = engineBindings as EngineModule;
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), { "./schema_engine_bg.js": mod as unknown as WebAssembly.ModuleImports });
    mod.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return mod;
  })();
  return loaded;
}

export type SchemaEngine = engineBindings.SchemaEngine;

export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: { path: string; content: string }[],
): Promise<SchemaEngine> {
  const mod = await loadWasm();
  const datamodels = schemaFiles.map((f) => [f.path, f.content] as [string, string]);
  return mod.SchemaEngine.new({ datamodels }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
}

export const noFilters = { externalTables: [], externalEnums: [] };
