import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { EVIDENCE_UPLOAD_PATH, evidenceUploadHeadersSchema } from "../../src/contracts/evidence-upload.ts";

export interface ReceivedEvidence {
  sha256: string;
  bytes: number;
  contentType: string;
  /** Every (candidate, kind) it was uploaded for: content-addressed, one frame may serve several candidates. */
  uploads: { candidateId: string; kind: string }[];
  body: Buffer;
}

/**
 * The evidence side of the back end's contract (PUT /api/evidence/{sha256}), small enough to
 * live in a test: it checks the headers and the body's hash the way the back end does and
 * keeps what it stored, so a test can compare it with the candidates' evidence references.
 */
export class EvidenceReceiver {
  readonly stored = new Map<string, ReceivedEvidence>();
  puts = 0;
  private server: http.Server | null = null;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const m = new RegExp(`^${EVIDENCE_UPLOAD_PATH}/([a-f0-9]{64})$`).exec(req.url ?? "");
      if (req.method !== "PUT" || !m) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.puts++;
        const headers = evidenceUploadHeadersSchema.safeParse(req.headers);
        if (!headers.success) {
          res.writeHead(400).end(headers.error.message);
          return;
        }
        const body = Buffer.concat(chunks);
        const sha256 = createHash("sha256").update(body).digest("hex");
        if (sha256 !== m[1]) {
          res.writeHead(422).end("sha256 mismatch");
          return;
        }
        const existing = this.stored.get(sha256);
        const upload = { candidateId: headers.data["x-curbwatch-candidate"], kind: headers.data["x-curbwatch-evidence-kind"] };
        if (existing) existing.uploads.push(upload);
        else this.stored.set(sha256, { sha256, bytes: body.length, contentType: headers.data["content-type"], uploads: [upload], body });
        res
          .writeHead(existing ? 200 : 201, { "content-type": "application/json" })
          .end(JSON.stringify({ sha256, bytes: body.length, stored: existing ? "existing" : "created" }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
