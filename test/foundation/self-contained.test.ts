import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.ts";

/** Every file under the folders a fresh clone runs from. */
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs|js|sh|yaml|yml)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe("the repository tests itself", () => {
  it("no test, benchmark, script or source reads the team's shared folder", () => {
    const offenders = ["src", "test", "bench", "scripts", "streams", ".ci"]
      .flatMap(sourceFiles)
      .filter((f) => !f.endsWith("self-contained.test.ts"))
      .filter((f) => /shared\/testdata|"\.\.\/shared"|\.\.\/\.\.\/\.\.\/shared\//.test(fs.readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(repoRoot, f))).toEqual([]);
  });

  it("keeps the fixtures lean: no file over 10 MB, the folder under 25 MB", () => {
    const files = sourceFilesAll("test/fixtures");
    const sizes = files.map((f) => fs.statSync(f).size);
    expect(Math.max(...sizes)).toBeLessThan(10 * 1024 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(25 * 1024 * 1024);
  });
});

function sourceFilesAll(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
