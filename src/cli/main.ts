import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command } from "commander";
import { VERSION } from "../shared/version.ts";
import { ConfigError } from "../config/load.ts";

/**
 * `curbwatch <command>`. Each file in ./commands exports `register(program)`, so a
 * feature adds its command without touching this file.
 */
const program = new Command("curbwatch")
  .version(VERSION)
  .description("CurbWatch — non-site enforcement: cameras → detections → candidate cases → lawful handling")
  .option("-c, --config <file>", "configuration file (YAML or JSON); env CURBWATCH_CONFIG")
  .showHelpAfterError();

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "commands");
const files = fs
  .readdirSync(commandsDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .sort();
for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(commandsDir, f)).href)) as { register?: (p: Command) => void };
  mod.register?.(program);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
