import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "./logger.ts";

/**
 * Runs a child process and restarts it when it dies, with growing spacing
 * (1 s, 2 s, 4 s … capped) so a crash loop cannot spin a core.
 */
export class SupervisedChild {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private name: string,
    private command: string,
    private args: string[],
    private env: NodeJS.ProcessEnv,
    private log: Logger,
    private maxBackoffMs = 60_000,
  ) {}

  start(): void {
    const startedAt = Date.now();
    const child = spawn(this.command, this.args, { env: this.env, stdio: ["ignore", "inherit", "inherit"] });
    this.child = child;
    child.on("exit", (code, signal) => {
      this.child = null;
      if (this.stopping) return;
      // A child that ran for a minute earns a fresh backoff.
      if (Date.now() - startedAt > 60_000) this.restarts = 0;
      const delay = Math.min(this.maxBackoffMs, 1000 * 2 ** this.restarts++);
      this.log.warn({ child: this.name, code, signal, restartInMs: delay }, "child process exited; restarting");
      this.timer = setTimeout(() => this.start(), delay);
    });
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
}
