// The image is checked without a Docker engine: the build context and the order of the
// Dockerfile's steps are what decide whether the console ships inside it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.ts";

const dockerfile = fs.readFileSync(path.join(repoRoot, "Dockerfile"), "utf8");
const ignored = fs
  .readFileSync(path.join(repoRoot, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

/** Dockerfile instructions with continuation lines joined, comments dropped. */
const steps = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const indexOf = (re: RegExp) => steps.findIndex((s) => re.test(s));

describe("Docker image", () => {
  it("copies the sources before it builds the console, and fails the build when the console is missing", () => {
    const copySources = indexOf(/^COPY \. \.$/);
    const buildWeb = indexOf(/^RUN .*npm run build:web/);
    expect(copySources, "a `COPY . .` step").toBeGreaterThanOrEqual(0);
    expect(buildWeb, "a step that runs `npm run build:web`").toBeGreaterThan(copySources);
    expect(steps[buildWeb]).toContain("test -f src/web/dist/index.html");
  });

  it("installs dependencies from the lock file without install scripts, before the sources, so no postinstall runs on a half-copied tree", () => {
    const install = indexOf(/^RUN npm ci\b/);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(steps[install]).toContain("--ignore-scripts");
    expect(install).toBeLessThan(indexOf(/^COPY \. \.$/));
    expect(steps.slice(0, install).filter((s) => s.startsWith("COPY"))).toEqual(["COPY package.json package-lock.json ./"]);
  });

  it("keeps build output and local state out of the build context", () => {
    for (const p of ["node_modules", ".git", "src/web/dist", "src/generated", "data", ".vendor"]) expect(ignored, `.dockerignore lists ${p}`).toContain(p);
  });

  it("sends everything the image needs to run in the build context", () => {
    const needed = ["package.json", "package-lock.json", "bin", "src", "prisma", "prisma.config.ts", "scripts", "models", "streams"];
    for (const p of needed) {
      expect(fs.existsSync(path.join(repoRoot, p)), `${p} exists`).toBe(true);
      expect(ignored.some((rule) => rule === p || p.startsWith(`${rule}/`))).toBe(false);
    }
  });
});
