// Fetches OpenCV's sample surveillance clip vtest.avi (BSD-3-Clause) from Debian's
// opencv-doc package into .vendor/, extracting just that one file from the .deb.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".vendor", "vtest.avi");
const member = "./usr/share/doc/opencv-doc/examples/data/vtest.avi";

if (process.env.CURBWATCH_SKIP_DEMO_CLIP === "1") process.exit(0);
if (fs.existsSync(target)) process.exit(0);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-clip-"));
try {
  execFileSync("apt-get", ["download", "opencv-doc"], { cwd: tmp, stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
  const deb = fs.readdirSync(tmp).find((f) => f.endsWith(".deb"));
  if (!deb) throw new Error("apt-get download produced no .deb");
  const tarball = execFileSync("dpkg-deb", ["--fsys-tarfile", path.join(tmp, deb)], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", tmp, member], { input: tarball });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(tmp, member), target);
  console.log(`[curbwatch] demo clip ready: ${path.relative(root, target)}`);
} catch (err) {
  console.warn(`[curbwatch] could not fetch the demo clip with apt-get download opencv-doc: ${String(err.message ?? err).split("\n")[0]}`);
  process.exit(1);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
