import { defineConfig } from "prisma/config";

// Used only by `prisma generate`. Migrations are applied by CurbWatch itself through
// Prisma's WebAssembly schema engine (src/backend/db/migrate.ts), on PGlite and PostgreSQL alike.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
