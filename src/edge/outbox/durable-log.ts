import fs from "node:fs";
import path from "node:path";

export interface LogRecord<T> {
  id: number;
  body: T;
}

const SEGMENT_BYTES = 256 * 1024;

/**
 * An append-only queue on disk: JSON lines in numbered segment files, plus the id of the
 * last record delivered. Appends are fsynced before `append` returns, so a record that was
 * accepted survives a crash of the process or the machine; a torn last line (crash mid-write)
 * is ignored on load. Delivered segments are deleted whole, so disk use stays bounded by what
 * is still pending.
 */
export class DurableLog<T> {
  private records: LogRecord<T>[] = [];
  private lastId = 0;
  private ackedId = 0;
  private currentFile = "";
  private currentBytes = 0;
  private fileMaxId = new Map<string, number>();
  /** Bytes of each log file on disk, kept as files grow and go: the budget check never lists the directory. */
  private fileBytes = new Map<string, number>();
  /** Every record still on disk at start-up, delivered or not (used to recover sequence numbers). */
  readonly loaded: LogRecord<T>[] = [];

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.ackedId = this.readAcked();
    const files = this.segmentFiles();
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      this.fileBytes.set(f, Buffer.byteLength(text));
      let maxId = 0;
      for (const line of text.split("\n")) {
        if (!line) continue;
        let rec: LogRecord<T>;
        try {
          rec = JSON.parse(line) as LogRecord<T>;
        } catch {
          continue; // torn write at a crash: the append never returned, so nobody relied on it
        }
        this.loaded.push(rec);
        maxId = Math.max(maxId, rec.id);
        this.lastId = Math.max(this.lastId, rec.id);
        if (rec.id > this.ackedId) this.records.push(rec);
      }
      this.fileMaxId.set(f, maxId);
    }
    this.lastId = Math.max(this.lastId, this.ackedId);
    this.records.sort((a, b) => a.id - b.id);
    this.roll();
  }

  get pending(): readonly LogRecord<T>[] {
    return this.records;
  }

  append(body: T): LogRecord<T> {
    return this.appendMany([body])[0];
  }

  /** Appends several records with one write and one fsync. */
  appendMany(bodies: T[]): LogRecord<T>[] {
    const recs: LogRecord<T>[] = [];
    let chunk = "";
    const flush = () => {
      if (!chunk) return;
      const fd = fs.openSync(path.join(this.dir, this.currentFile), "a");
      try {
        fs.writeSync(fd, chunk);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      const written = Buffer.byteLength(chunk);
      this.currentBytes += written;
      this.fileBytes.set(this.currentFile, (this.fileBytes.get(this.currentFile) ?? 0) + written);
      this.fileMaxId.set(this.currentFile, this.lastId);
      chunk = "";
    };
    for (const body of bodies) {
      const rec: LogRecord<T> = { id: this.lastId + 1, body };
      const line = `${JSON.stringify(rec)}\n`;
      if (this.currentBytes + chunk.length + line.length > SEGMENT_BYTES && this.currentBytes + chunk.length > 0) {
        flush();
        this.roll();
      }
      this.lastId = rec.id;
      chunk += line;
      recs.push(rec);
    }
    flush();
    this.records.push(...recs);
    return recs;
  }

  /** Mark everything up to and including `id` as delivered. */
  ack(id: number): void {
    if (id <= this.ackedId) return;
    this.ackedId = id;
    this.records = this.records.filter((r) => r.id > id);
    const tmp = path.join(this.dir, "acked.json.tmp");
    fs.writeFileSync(tmp, JSON.stringify({ ackedId: id }));
    fs.renameSync(tmp, path.join(this.dir, "acked.json"));
    this.compact();
  }

  bytes(): number {
    let total = 0;
    for (const b of this.fileBytes.values()) total += b;
    return total;
  }

  private compact(): void {
    for (const [f, maxId] of this.fileMaxId) {
      if (f === this.currentFile || maxId > this.ackedId) continue;
      fs.rmSync(path.join(this.dir, f), { force: true });
      this.fileMaxId.delete(f);
      this.fileBytes.delete(f);
    }
  }

  private roll(): void {
    this.currentFile = `${String(this.lastId + 1).padStart(12, "0")}.jsonl`;
    this.currentBytes = fs.existsSync(path.join(this.dir, this.currentFile)) ? fs.statSync(path.join(this.dir, this.currentFile)).size : 0;
    this.compact();
  }

  private segmentFiles(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith(".jsonl"))
      .sort();
  }

  private readAcked(): number {
    try {
      return (JSON.parse(fs.readFileSync(path.join(this.dir, "acked.json"), "utf8")) as { ackedId: number }).ackedId;
    } catch {
      return 0;
    }
  }
}
