import fs from "node:fs";
import path from "node:path";
import { renderAclFile, renderPasswordFileFromHashes, type BackendPrincipal } from "./mosquitto-acl.ts";
import type { EdgeRegistry } from "../services/edge-registry.service.ts";

/**
 * Writes Mosquitto's `passwd` and `acl` into a directory Mosquitto reads (security.mosquittoFilesDir),
 * atomically (write + rename) and readable only by the owner. Mosquitto picks them up on
 * SIGHUP (`systemctl reload mosquitto` / `docker kill -s HUP mosquitto`); see the README.
 */
export async function writeMosquittoFiles(dir: string, backend: BackendPrincipal, edges: EdgeRegistry): Promise<{ passwd: string; acl: string }> {
  const principals = await edges.brokerPrincipals();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out = { passwd: path.join(dir, "passwd"), acl: path.join(dir, "acl") };
  writeAtomically(out.passwd, renderPasswordFileFromHashes(backend, principals));
  writeAtomically(out.acl, renderAclFile(backend, principals.map((p) => ({ edgeId: p.edgeId, password: "", cameraIds: p.cameraIds }))));
  return out;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
