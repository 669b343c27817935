/** `npm run schema:edge`: regenerates streams/edge-config.schema.json from the zod contract. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EDGE_CONFIG_SCHEMA_FILE, edgeConfigJsonSchemaText } from "./edge-config-json-schema.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
fs.writeFileSync(path.join(root, EDGE_CONFIG_SCHEMA_FILE), edgeConfigJsonSchemaText());
console.log(`wrote ${EDGE_CONFIG_SCHEMA_FILE}`);
