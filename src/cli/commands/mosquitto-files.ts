import path from "node:path";
import type { Command } from "commander";
import { commandContext } from "../context.ts";
import { openDatabase } from "../../backend/db/database.ts";
import { EdgeRegistryService } from "../../backend/services/edge-registry.service.ts";
import { createRepositories } from "../../backend/repositories/repositories.ts";
import { writeMosquittoFiles } from "../../backend/security/mosquitto-files.ts";

/**
 * Writes Mosquitto's password and ACL files from the registry and exits. Mosquitto cannot
 * start without them and the back end cannot finish starting without the broker, so a
 * deployment runs this once before Mosquitto (docker-compose: the `broker-auth` service);
 * afterwards the running back end rewrites them on every change.
 */
export function register(program: Command): void {
  program
    .command("mosquitto-files")
    .description(
      "write Mosquitto's passwd and acl (MOSQUITTO_FILES_DIR) from the registry, for the back end's MQTT_USERNAME/MQTT_PASSWORD and every enrolled edge",
    )
    .action(async (_opts, cmd: Command) => {
      const { config, log } = commandContext(cmd, "mosquitto-files");
      const dir = config.security.mosquittoFilesDir;
      const { username, password } = config.mqtt;
      if (!dir) throw new Error("set MOSQUITTO_FILES_DIR (security.mosquittoFilesDir): where Mosquitto reads passwd and acl");
      if (!username || !password) throw new Error("set MQTT_USERNAME and MQTT_PASSWORD: the back end's own broker account goes into the password file");
      const db = await openDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, "pglite"), log });
      try {
        const repos = createRepositories(db);
        const edges = new EdgeRegistryService(repos.edges, repos.cameras);
        const files = await writeMosquittoFiles(dir, { username, password }, edges, config.security.mosquittoFilesOwner);
        console.log(`wrote ${files.passwd} and ${files.acl}`);
      } finally {
        await db.close();
      }
    });
}
