import { z } from "zod";
import { edgeConfigSchema } from "../../contracts/edge-config.ts";

/**
 * The edge config as JSON Schema, generated from the one zod contract so editors can check a
 * config file as it is typed. `io: "input"`: fields with defaults are optional, as in a file.
 */
export function edgeConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(edgeConfigSchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://curbwatch.example/schemas/edge-config.schema.json",
    title: "CurbWatch edge config (curbwatch.edge-config/v1)",
  };
}

export const EDGE_CONFIG_SCHEMA_FILE = "streams/edge-config.schema.json";

export function edgeConfigJsonSchemaText(): string {
  return `${JSON.stringify(edgeConfigJsonSchema(), null, 2)}\n`;
}
