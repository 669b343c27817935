import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { configSchema, envOverrides, type CurbWatchConfig } from "./schema.ts";

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: { key: string; source: string; problem: string }[] = [],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface LoadOptions {
  /** Path given on the command line; falls back to CURBWATCH_CONFIG, then ./curbwatch.yaml when it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function readFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`Cannot read configuration file ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed = YAML.parse(text) ?? {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("top level must be a mapping");
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`Configuration file ${file} is not valid YAML/JSON: ${(err as Error).message}`);
  }
}

/** Resolve relative paths against the working directory so child processes agree on them. */
function resolvePaths(cfg: CurbWatchConfig, cwd: string): CurbWatchConfig {
  const abs = (p: string) => path.resolve(cwd, p);
  cfg.dataDir = abs(cfg.dataDir);
  cfg.evidence.dir = cfg.evidence.dir ? abs(cfg.evidence.dir) : path.join(cfg.dataDir, "evidence");
  cfg.edge.modelsDir = abs(cfg.edge.modelsDir);
  if (cfg.edge.configFile) cfg.edge.configFile = abs(cfg.edge.configFile);
  if (cfg.demo.clip) cfg.demo.clip = abs(cfg.demo.clip);
  if (cfg.security.mosquittoFilesDir) cfg.security.mosquittoFilesDir = abs(cfg.security.mosquittoFilesDir);
  return cfg;
}

export function loadConfig(opts: LoadOptions = {}): CurbWatchConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.file ?? env.CURBWATCH_CONFIG ?? (fs.existsSync(path.join(cwd, "curbwatch.yaml")) ? "curbwatch.yaml" : undefined);
  const raw: Record<string, unknown> = file ? readFile(path.resolve(cwd, file)) : {};

  const sourceOf = new Map<string, string>();
  for (const [name, key] of Object.entries(envOverrides)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    // "false"/"0" must mean false for boolean keys; z.coerce.boolean would read them as true.
    const v = key === "demo.enabled" ? !["0", "false", "no", "off"].includes(value.toLowerCase()) : value;
    setPath(raw, key, v);
    sourceOf.set(key, `environment variable ${name}`);
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) throw toConfigError(result.error, sourceOf, file);
  return resolvePaths(result.data, cwd);
}

function toConfigError(error: z.ZodError, sourceOf: Map<string, string>, file?: string): ConfigError {
  const issues = error.issues.map((i) => {
    const key = i.path.join(".") || "(top level)";
    const source = sourceOf.get(key) ?? (file ? `file ${file}` : "defaults");
    const problem = i.code === "unrecognized_keys" ? `unknown key(s): ${i.keys.join(", ")}` : i.message;
    return { key, source, problem };
  });
  const lines = issues.map((i) => `  - ${i.key} (from ${i.source}): ${i.problem}`);
  return new ConfigError(`Invalid configuration:\n${lines.join("\n")}`, issues);
}
