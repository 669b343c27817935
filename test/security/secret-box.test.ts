import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox } from "../../src/backend/security/secret-box.ts";

describe("SecretBox (AES-256-GCM at rest)", () => {
  const box = SecretBox.fromConfig(crypto.randomBytes(32).toString("hex"));

  it("round-trips and never stores the plaintext", () => {
    const sealed = box.seal("rtsp-user:p@ss-w0rd", "camera:cam-1");
    expect(sealed).not.toContain("p@ss");
    expect(box.open(sealed, "camera:cam-1")).toBe("rtsp-user:p@ss-w0rd");
    expect(box.seal("same", "x")).not.toBe(box.seal("same", "x"));
  });

  it("detects tampering, another key, and a value moved to another record", () => {
    const sealed = box.seal("secret", "camera:cam-1");
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3], "base64url");
    flipped[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), flipped.toString("base64url")].join("."), "camera:cam-1")).toThrow();
    expect(() => SecretBox.fromConfig(crypto.randomBytes(32).toString("base64")).open(sealed, "camera:cam-1")).toThrow();
    expect(() => box.open(sealed, "camera:cam-2")).toThrow();
  });

  it("rejects a key of the wrong size with the setting's name", () => {
    expect(() => SecretBox.fromConfig("abcd")).toThrow(/security.secretKey must be 32 bytes/);
    expect(() => SecretBox.fromConfig(undefined)).toThrow(/CURBWATCH_SECRET_KEY/);
  });
});
