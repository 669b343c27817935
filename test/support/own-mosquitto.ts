import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tcpReachable } from "./services.ts";

export const MOSQUITTO_BIN = "/usr/sbin/mosquitto";

/**
 * A Mosquitto of the test's own on a free port, so a test may stop and restart its broker
 * without touching the shared one other tests use. Persistence is on: like a production
 * broker, it keeps persistent sessions and their queued QoS 1 messages across a restart.
 * `dir` and its parents must be reachable by the user mosquitto runs as.
 */
export class OwnMosquitto {
  private child: ChildProcess | null = null;

  constructor(
    readonly port: number,
    private dir: string,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    // Started as root, mosquitto drops to the "mosquitto" user, which must be able to write its store here.
    fs.chmodSync(dir, 0o777);
    fs.writeFileSync(
      path.join(dir, "mosquitto.conf"),
      [`listener ${port} 127.0.0.1`, "allow_anonymous true", "persistence true", `persistence_location ${dir}/`, "autosave_interval 1", ...(process.env.MOSQUITTO_TEST_LOG ? [`log_dest file ${dir}/mosquitto.log`, "log_type all"] : ["log_dest none"]), ""].join("\n"),
    );
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(MOSQUITTO_BIN, ["-c", path.join(this.dir, "mosquitto.conf")], { stdio: "ignore" });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await tcpReachable(this.url, 500))) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode} on port ${this.port}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${this.port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}
