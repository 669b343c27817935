import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { SecretBox } from "../security/secret-box.ts";
import type { StreamCredentials } from "./stream-url.ts";
import type { Logger } from "../../shared/logger.ts";

/**
 * Seals camera credentials with AES-256-GCM. The camera id is the associated data, so a
 * sealed value copied onto another camera's row does not open.
 */
export class CameraSecrets {
  constructor(private box: SecretBox) {}

  seal(cameraId: string, c: StreamCredentials): string {
    return this.box.seal(JSON.stringify(c), `camera:${cameraId}`);
  }

  open(cameraId: string, sealed: string): StreamCredentials {
    return JSON.parse(this.box.open(sealed, `camera:${cameraId}`)) as StreamCredentials;
  }
}

/**
 * The key from configuration (CURBWATCH_SECRET_KEY); without one, a key generated once into
 * <dataDir>/secret.key (0600) so `npm start` works with zero configuration. Production sets
 * the key explicitly and keeps it away from the database and its backups.
 */
export function secretBoxFor(secretKey: string | undefined, dataDir: string, log: Logger): SecretBox {
  if (secretKey) return SecretBox.fromConfig(secretKey);
  const file = path.join(dataDir, "secret.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      // Another process sharing the data dir created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    log.warn({ file }, "no CURBWATCH_SECRET_KEY: generated a camera-credential key in the data directory; set the key explicitly in production");
  }
  return SecretBox.fromConfig(fs.readFileSync(file, "utf8").trim());
}
