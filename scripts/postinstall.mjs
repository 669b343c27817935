// Runs after `npm install`: generates the Prisma client, fetches the demo clip and composites the demo stall into it.
// Neither step needs anything beyond the npm registry and Debian's package archive.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const gen = spawnSync(process.execPath, [path.join(root, "scripts/prisma-generate.mjs")], { cwd: root, stdio: "inherit" });
if (gen.status !== 0) process.exit(gen.status ?? 1);

const fetchClip = spawnSync(process.execPath, [path.join(root, "scripts/fetch-demo-clip.mjs")], { cwd: root, stdio: "inherit" });
if (fetchClip.status !== 0) console.warn("[curbwatch] demo clip not fetched; `npm start` still runs (see README: Demo camera).");
else {
  // vtest.avi with a real flower stall composited in: what the demo camera streams. Without it
  // the demo falls back to plain vtest.avi (and says so when it starts).
  const makeClip = spawnSync(process.execPath, [path.join(root, "scripts/make-demo-clip.mjs")], { cwd: root, stdio: "inherit" });
  if (makeClip.status !== 0) console.warn("[curbwatch] demo stall clip not made; `npm start` streams plain vtest.avi (see README: Demo camera).");
}

// The web console: built here so `npm install && npm start` serves it. A failed build leaves the
// API working; the back end then answers `/` with how to build the console.
const buildWeb = spawnSync(
  process.execPath,
  [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--config", path.join(root, "src/web/vite.config.ts"), "--logLevel", "warn"],
  { cwd: root, stdio: "inherit" },
);
if (buildWeb.status !== 0) console.warn("[curbwatch] web console not built; run `npm run build:web` (see README: Web console).");
