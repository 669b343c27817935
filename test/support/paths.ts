import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Real photos and clips shared by the team (never copied into the repository). */
export const testdata = (...p: string[]) => path.resolve(repoRoot, "../shared/testdata", ...p);
export const binPath = path.join(repoRoot, "bin/curbwatch.js");
