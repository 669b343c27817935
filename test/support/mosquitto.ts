import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./process.ts";
import { tcpReachable } from "./services.ts";

export const MOSQUITTO_BIN = "/usr/sbin/mosquitto";

/** Started as root, mosquitto drops to its own user before reading files or writing its store. */
function mosquittoUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const [uid, gid] = execFileSync("sh", ["-c", "id -u mosquitto; id -g mosquitto"], { encoding: "utf8" }).trim().split("\n").map(Number);
    return { uid, gid };
  } catch {
    return null;
  }
}

export interface PrivateMosquittoOptions {
  /** Extra mosquitto.conf lines; `{dir}` is replaced by the broker's directory. */
  conf?: string[];
  /** Files written into the directory (password file, ACL), readable only by mosquitto. */
  files?: Record<string, string>;
  /** Keep persistent sessions and queued QoS 1 messages across a restart, like a production broker. */
  persistence?: boolean;
}

/**
 * A Mosquitto of the test's own on a free port, so a test may stop, restart or lock it down
 * without touching the machine's shared broker on 1883.
 */
export class PrivateMosquitto {
  private child: ChildProcess | null = null;
  private readonly confFile: string;

  constructor(
    readonly port: number,
    readonly dir: string,
    opts: PrivateMosquittoOptions = {},
  ) {
    fs.mkdirSync(dir, { recursive: true });
    const owner = mosquittoUser();
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    for (const [name, text] of Object.entries(opts.files ?? {})) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text, { mode: 0o600 });
      if (owner) fs.chownSync(file, owner.uid, owner.gid);
    }
    this.confFile = path.join(dir, "mosquitto.conf");
    const persistence = opts.persistence ? ["persistence true", `persistence_location ${dir}/`, "autosave_interval 1"] : ["persistence false"];
    const log = process.env.MOSQUITTO_TEST_LOG ? [`log_dest file ${dir}/mosquitto.log`, "log_type all"] : ["log_dest none"];
    const conf = opts.conf ?? ["allow_anonymous true"];
    fs.writeFileSync(this.confFile, [`listener ${port} 127.0.0.1`, ...persistence, ...log, ...conf.map((l) => l.replaceAll("{dir}", dir)), ""].join("\n"));
  }

  /** The running broker's process id (for CPU figures). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(MOSQUITTO_BIN, ["-c", this.confFile], { stdio: "ignore" });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await tcpReachable(this.url, 500))) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode} on port ${this.port} (set MOSQUITTO_TEST_LOG=1 to see why)`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${this.port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }

  /** Ends the broker with `signal` (SIGKILL: no chance to save its store) and waits for it to exit. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill(signal);
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** A started private broker in a fresh temporary directory. */
export async function startPrivateMosquitto(opts: PrivateMosquittoOptions = {}): Promise<PrivateMosquitto> {
  const broker = new PrivateMosquitto(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), "cw-mosq-")), opts);
  await broker.start();
  return broker;
}
