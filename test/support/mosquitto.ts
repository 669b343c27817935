import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./process.ts";
import { tcpReachable } from "./services.ts";

function mosquittoUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const [uid, gid] = execFileSync("sh", ["-c", "id -u mosquitto; id -g mosquitto"], { encoding: "utf8" }).trim().split("\n").map(Number);
    return { uid, gid };
  } catch {
    return null;
  }
}

export interface PrivateMosquitto {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** Start again on the same port with the same files (fault tests). */
  restart(): Promise<void>;
}

/**
 * A Mosquitto of the test's own on a free port, so tests can stop it, restart it or give
 * it ACLs without touching the machine's shared broker on 1883.
 */
export async function startPrivateMosquitto(extraConf: string[] = [], files: Record<string, string> = {}): Promise<PrivateMosquitto> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-mosq-"));
  // Mosquitto started as root drops to its own user before reading password/ACL files.
  const owner = mosquittoUser();
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    if (owner) fs.chownSync(file, owner.uid, owner.gid);
  }
  const conf = path.join(dir, "mosquitto.conf");
  fs.writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, "persistence false", ...extraConf.map((l) => l.replaceAll("{dir}", dir)), ""].join("\n"),
  );
  let child: ChildProcess;
  const launch = async () => {
    child = spawn("mosquitto", ["-c", conf], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(await tcpReachable(`mqtt://127.0.0.1:${port}`, 200)); i++) await new Promise((r) => setTimeout(r, 50));
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  await launch();
  return { url: `mqtt://127.0.0.1:${port}`, port, dir, stop, restart: async () => (await stop(), await launch()) };
}
