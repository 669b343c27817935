import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Real photos and clips kept in the repository (origins and licences: test/fixtures/README.md). */
export const testdata = (...p: string[]) => path.resolve(repoRoot, "test/fixtures", ...p);
/** The OpenCV sample clip, fetched from Debian's opencv-doc at install time rather than committed. */
export const vtestClip = path.join(repoRoot, ".vendor/vtest.avi");
export const binPath = path.join(repoRoot, "bin/curbwatch.js");
