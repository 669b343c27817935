import fs from "node:fs";
import type { Logger } from "../../shared/logger.ts";

/**
 * Makes a running Mosquitto apply rewritten `passwd`/`acl` files: SIGHUP to the pid in its
 * pid_file. On reload Mosquitto 2 re-checks every connected client against the new password
 * file and disconnects those whose user is gone, so a revoked edge loses its live session
 * at once (the revocation test shows it on a real Mosquitto). Returns whether it was sent.
 */
export function reloadMosquitto(pidFile: string, log: Logger): boolean {
  try {
    const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no process id in ${pidFile}`);
    process.kill(pid, "SIGHUP");
    log.info({ pid }, "mosquitto told to reload its password and ACL files");
    return true;
  } catch (err) {
    log.error({ err, pidFile }, "could not make Mosquitto reload (security.mosquittoPidFile); reload it by hand so revocations take effect");
    return false;
  }
}
