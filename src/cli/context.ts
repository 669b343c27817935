import type { Command } from "commander";
import { loadConfig } from "../config/load.ts";
import type { CurbWatchConfig } from "../config/schema.ts";
import { createLogger, type Logger } from "../shared/logger.ts";

/** Config and logger for a command, from the global --config option plus the environment. */
export function commandContext(cmd: Command, name: string): { config: CurbWatchConfig; log: Logger } {
  const root = cmd.optsWithGlobals() as { config?: string };
  const config = loadConfig({ file: root.config });
  const log = createLogger(name, config.log.level);
  return { config, log };
}
