import { describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pendingSchemaSql } from "../../src/backend/db/migrate.ts";

describe("prisma/schema.prisma and prisma/migrations", () => {
  it("agree: every schema change has a committed migration (run `npm run db:migration -- <name>` if not)", async () => {
    const sql = await pendingSchemaSql(new PrismaPGlite(new PGlite()));
    expect(sql, `schema.prisma has changes with no migration:\n${sql}`).toBe("");
  });
});
