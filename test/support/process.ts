import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { binPath } from "./paths.ts";

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** Resolves when a line matching `pattern` has been printed (stdout or stderr). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `curbwatch <args>` the way a user would, capturing everything it prints. */
export function spawnCurbwatch(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, LOG_LEVEL: "info", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      const m = out.split("\n").find((l) => w.re.test(l));
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      const existing = out.split("\n").find((l) => re.test(l));
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in output:\n${out.slice(-3000)}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
        void exited.then((code) => reject(new Error(`process exited (${code}) before ${re}:\n${out.slice(-3000)}`)));
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export async function waitForHttp(
  url: string,
  ok: (status: number, body: string) => boolean,
  timeoutMs = 60_000,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, { headers });
      const body = await r.text();
      if (ok(r.status, body)) return { status: r.status, body };
      last = `${r.status} ${body.slice(0, 500)}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become ready in ${timeoutMs} ms; last: ${last}`);
}
