import path from "node:path";

const SHA256 = /^[a-f0-9]{64}$/;

export const isSha256 = (s: string): boolean => SHA256.test(s);

/** evidence.dir/ab/cd/<sha256>: content-addressed, two fan-out levels keep directories small. */
export function evidencePath(dir: string, sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
  return path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}
