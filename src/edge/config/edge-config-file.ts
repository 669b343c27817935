import fs from "node:fs";
import YAML from "yaml";
import { edgeConfigSchema, type EdgeConfig } from "../../contracts/edge-config.ts";
import { describeConfigProblems, semanticConfigProblems } from "./config-validation.ts";

/** Reads a YAML or JSON edge config file; throws with every problem named by its path. */
export function readEdgeConfigFile(file: string): EdgeConfig {
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read edge config ${file}: ${(err as Error).message}`, { cause: err });
  }
  const r = edgeConfigSchema.safeParse(raw);
  if (!r.success) throw new Error(`invalid edge config ${file}: ${describeConfigProblems(r.error)}`);
  const problems = semanticConfigProblems(r.data);
  if (problems.length) throw new Error(`invalid edge config ${file}: ${problems.join("; ")}`);
  return r.data;
}
