// Runs after `npm install`: generates the Prisma client and fetches the demo clip.
// Neither step needs anything beyond the npm registry and Debian's package archive.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const gen = spawnSync(process.execPath, [path.join(root, "scripts/prisma-generate.mjs")], { cwd: root, stdio: "inherit" });
if (gen.status !== 0) process.exit(gen.status ?? 1);

const fetchClip = spawnSync(process.execPath, [path.join(root, "scripts/fetch-demo-clip.mjs")], { cwd: root, stdio: "inherit" });
if (fetchClip.status !== 0) console.warn("[curbwatch] demo clip not fetched; `npm start` still runs (see README: Demo camera).");
