import crypto from "node:crypto";

/**
 * AES-256-GCM for secrets kept at rest (camera RTSP credentials). The stored form
 * `v1.<iv>.<tag>.<ciphertext>` (base64url) carries its version so the key or the
 * algorithm can be rotated without guessing what an old value is.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error(`secret key must be 32 bytes, got ${key.length}`);
    this.key = key;
  }

  /** Accepts 64 hex characters or base64 of 32 bytes (what `openssl rand -hex 32` / `-base64 32` print). */
  static fromConfig(secret: string | undefined): SecretBox {
    if (!secret) throw new Error("security.secretKey (CURBWATCH_SECRET_KEY) is not set");
    const key = /^[0-9a-fA-F]{64}$/.test(secret) ? Buffer.from(secret, "hex") : Buffer.from(secret, "base64");
    if (key.length !== 32) throw new Error("security.secretKey must be 32 bytes: 64 hex characters or base64 of 32 bytes");
    return new SecretBox(key);
  }

  seal(plaintext: string, associatedData = ""): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
  }

  /** Throws if the value was altered, sealed under another key, or moved to another record (associated data). */
  open(sealed: string, associatedData = ""): string {
    const [version, iv, tag, body] = sealed.split(".");
    if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed v1 value");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  }
}
