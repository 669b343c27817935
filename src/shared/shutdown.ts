import type { Logger } from "./logger.ts";

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Closes registered resources in reverse order of registration on SIGINT/SIGTERM,
 * so producers stop before the stores they write to.
 */
export class ShutdownSequence {
  private closers: Closer[] = [];
  private running: Promise<void> | null = null;

  constructor(private log: Logger) {}

  add(name: string, close: Closer["close"]): void {
    this.closers.push({ name, close });
  }

  run(reason: string): Promise<void> {
    if (this.running) return this.running;
    this.log.info({ reason }, "shutting down");
    this.running = (async () => {
      for (const c of [...this.closers].reverse()) {
        try {
          await c.close();
          this.log.debug({ part: c.name }, "closed");
        } catch (err) {
          this.log.error({ part: c.name, err }, "error while closing");
        }
      }
    })();
    return this.running;
  }

  /**
   * Install signal handlers; a second signal forces exit, and so does `hardDeadlineMs`
   * after the first: a part that cannot close (a hung connection) must not keep the
   * process alive for ever.
   */
  installSignalHandlers(exit: (code: number) => void = process.exit, hardDeadlineMs = 30_000): void {
    let signalled = false;
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.on(sig, () => {
        if (signalled) exit(130);
        signalled = true;
        setTimeout(() => {
          this.log.error({ hardDeadlineMs }, "shutdown did not complete in time; exiting anyway");
          exit(1);
        }, hardDeadlineMs).unref();
        void this.run(sig).then(() => exit(0));
      });
    }
  }
}
