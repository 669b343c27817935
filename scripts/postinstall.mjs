// Runs after `npm install`: generates the Prisma client and fetches the demo clip.
// Neither step needs anything beyond the npm registry and Debian's package archive.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const gen = spawnSync(process.execPath, [path.join(root, "scripts/prisma-generate.mjs")], { cwd: root, stdio: "inherit" });
if (gen.status !== 0) process.exit(gen.status ?? 1);

const fetchClip = spawnSync(process.execPath, [path.join(root, "scripts/fetch-demo-clip.mjs")], { cwd: root, stdio: "inherit" });
if (fetchClip.status !== 0) console.warn("[curbwatch] demo clip not fetched; `npm start` still runs (see README: Demo camera).");

// The web console: built here so `npm install && npm start` serves it. A failed build leaves the
// API working; the back end then answers `/` with how to build the console.
const buildWeb = spawnSync(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--config", path.join(root, "src/web/vite.config.ts"), "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
if (buildWeb.status !== 0) console.warn("[curbwatch] web console not built; run `npm run build:web` (see README: Web console).");
