import type { Logger } from "../shared/logger.ts";

/** Runs `job` every `seconds`, never overlapping itself; an error is logged and the next run comes anyway. */
export function periodicJob(name: string, seconds: number, job: () => Promise<unknown>, log: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = job()
      .catch((err) => log.error({ err, job: name }, "periodic job failed"))
      .finally(() => (running = null));
  }, seconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
