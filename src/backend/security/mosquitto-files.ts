import fs from "node:fs";
import path from "node:path";
import { renderAclFile, renderPasswordFileFromHashes, type BackendPrincipal } from "./mosquitto-acl.ts";
import type { EdgeRegistryService } from "../services/edge-registry.service.ts";

/**
 * Writes Mosquitto's `passwd` and `acl` into a directory Mosquitto reads (security.mosquittoFilesDir),
 * atomically (write + rename) and readable only by the owner. Mosquitto picks them up on
 * SIGHUP (`systemctl reload mosquitto` / `docker kill -s HUP mosquitto`); see the README.
 */
export async function writeMosquittoFiles(
  dir: string,
  backend: BackendPrincipal,
  edges: Pick<EdgeRegistryService, "brokerPrincipals">,
  owner?: string,
): Promise<{ passwd: string; acl: string }> {
  const principals = await edges.brokerPrincipals();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out = { passwd: path.join(dir, "passwd"), acl: path.join(dir, "acl") };
  const [uid, gid] = owner ? owner.split(":").map(Number) : [];
  writeAtomically(out.passwd, renderPasswordFileFromHashes(backend, principals), uid, gid);
  writeAtomically(
    out.acl,
    renderAclFile(
      backend,
      principals.map((p) => ({ edgeId: p.edgeId, password: "", cameraIds: p.cameraIds })),
    ),
    uid,
    gid,
  );
  return out;
}

function writeAtomically(file: string, text: string, uid?: number, gid?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  // Readable only by its owner, so the owner must be the user Mosquitto reads them as.
  if (uid !== undefined && gid !== undefined) fs.chownSync(tmp, uid, gid);
  fs.renameSync(tmp, file);
}
