import net from "node:net";

/**
 * A small RTSP relay for tests and the benchmark: producers (ffmpeg `-f rtsp -rtsp_transport tcp`)
 * ANNOUNCE + RECORD a path, consumers DESCRIBE/SETUP/PLAY it, and RTP/RTCP travel interleaved on
 * the RTSP TCP connection (RFC 2326 §10.12) — the transport the edge uses against cameras. The
 * npm `rtsp-streaming-server` speaks UDP only to consumers, which drops packets of 1080p streams
 * under load, so this relay exists; it is real RTSP over real sockets with real ffmpeg at both ends.
 */
interface Mount {
  sdp: string;
  publisher: net.Socket;
  consumers: Set<Consumer>;
}

interface Consumer {
  socket: net.Socket;
  /** Producer channel (2 × stream index) → this consumer's interleaved channel. */
  channels: Map<number, number>;
  playing: boolean;
  path: string;
}

interface RtspRequest {
  method: string;
  uri: string;
  headers: Record<string, string>;
  body: string;
}

const MAX_BUFFERED = 32 * 1024 * 1024;

export class RtspRelayServer {
  private server: net.Server | null = null;
  private mounts = new Map<string, Mount>();
  private sockets = new Set<net.Socket>();
  private sessionCounter = 0;

  constructor(readonly port: number) {}

  url(path: string): string {
    return `rtsp://127.0.0.1:${this.port}/${path.replace(/^\//, "")}`;
  }

  /** Paths with a producer right now. */
  get publishing(): string[] {
    return [...this.mounts.keys()];
  }

  start(): Promise<void> {
    const server = net.createServer((s) => this.onConnection(s));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  /** Closes the listener and every connection: to producers and consumers the server is gone. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.mounts.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let consumer: Consumer | null = null;
    let publishedPath: string | null = null;
    socket.on("data", (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (!buf.length) break;
        if (buf[0] === 0x24) {
          if (buf.length < 4) break;
          const len = buf.readUInt16BE(2);
          if (buf.length < 4 + len) break;
          const channel = buf[1];
          const packet = buf.subarray(0, 4 + len);
          buf = buf.subarray(4 + len);
          if (publishedPath) this.relay(publishedPath, channel, packet);
          continue;
        }
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) break;
        const head = buf.subarray(0, end).toString("utf8");
        const headers: Record<string, string> = {};
        const lines = head.split("\r\n");
        for (const l of lines.slice(1)) {
          const i = l.indexOf(":");
          if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        const bodyLen = Number(headers["content-length"] ?? 0);
        if (buf.length < end + 4 + bodyLen) break;
        const body = buf.subarray(end + 4, end + 4 + bodyLen).toString("utf8");
        buf = buf.subarray(end + 4 + bodyLen);
        const [method, uri] = lines[0].split(" ");
        const req: RtspRequest = { method, uri, headers, body };
        const result = this.handle(socket, req, consumer, publishedPath);
        consumer = result.consumer;
        publishedPath = result.publishedPath;
      }
    });
    const cleanup = () => {
      this.sockets.delete(socket);
      if (consumer) this.mounts.get(consumer.path)?.consumers.delete(consumer);
      if (publishedPath) {
        const mount = this.mounts.get(publishedPath);
        if (mount?.publisher === socket) {
          // The camera went away: its viewers lose the stream too, as with a real camera reboot.
          for (const c of mount.consumers) c.socket.destroy();
          this.mounts.delete(publishedPath);
        }
      }
    };
    socket.on("close", cleanup);
    socket.on("error", () => socket.destroy());
  }

  private relay(path: string, channel: number, packet: Buffer): void {
    const mount = this.mounts.get(path);
    if (!mount) return;
    for (const c of mount.consumers) {
      if (!c.playing) continue;
      const target = c.channels.get(channel);
      if (target === undefined) continue;
      // A consumer that cannot keep up loses packets instead of growing the server's memory.
      if (c.socket.writableLength > MAX_BUFFERED) continue;
      if (target === channel) c.socket.write(packet);
      else {
        const copy = Buffer.from(packet);
        copy[1] = target;
        c.socket.write(copy);
      }
    }
  }

  private handle(
    socket: net.Socket,
    req: RtspRequest,
    consumer: Consumer | null,
    publishedPath: string | null,
  ): { consumer: Consumer | null; publishedPath: string | null } {
    const path = pathOf(req.uri);
    const reply = (status: string, headers: Record<string, string> = {}, body = "") => {
      const h = {
        CSeq: req.headers.cseq ?? "0",
        Server: "curbwatch-test-rtsp",
        ...headers,
        ...(body ? { "Content-Length": String(Buffer.byteLength(body)) } : {}),
      };
      socket.write(
        `RTSP/1.0 ${status}\r\n${Object.entries(h)
          .map(([k, v]) => `${k}: ${v}`)
          .join("\r\n")}\r\n\r\n${body}`,
      );
    };
    switch (req.method) {
      case "OPTIONS":
        reply("200 OK", { Public: "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN, GET_PARAMETER" });
        break;
      case "ANNOUNCE": {
        const old = this.mounts.get(path);
        if (old) old.publisher.destroy();
        this.mounts.set(path, { sdp: req.body, publisher: socket, consumers: new Set() });
        publishedPath = path;
        reply("200 OK");
        break;
      }
      case "DESCRIBE": {
        const mount = this.mounts.get(path);
        if (!mount) {
          reply("404 Not Found");
          break;
        }
        reply("200 OK", { "Content-Type": "application/sdp", "Content-Base": `${req.uri.replace(/\/$/, "")}/` }, mount.sdp);
        break;
      }
      case "SETUP": {
        const transport = req.headers.transport ?? "";
        if (!/TCP/i.test(transport)) {
          reply("461 Unsupported Transport");
          break;
        }
        const session = req.headers.session?.split(";")[0] ?? String(++this.sessionCounter);
        if (publishedPath) {
          reply("200 OK", { Transport: transport, Session: session });
          break;
        }
        const mountPath = pathOf(req.uri.replace(/\/(streamid|trackID|track)=?\d+$/i, ""));
        const mount = this.mounts.get(mountPath);
        if (!mount) {
          reply("404 Not Found");
          break;
        }
        const stream = Number(/(?:streamid|trackID|track)=?(\d+)$/i.exec(req.uri)?.[1] ?? 0);
        const interleaved = /interleaved=(\d+)-(\d+)/.exec(transport);
        const rtp = interleaved ? Number(interleaved[1]) : stream * 2;
        if (!consumer) {
          consumer = { socket, channels: new Map(), playing: false, path: mountPath };
          mount.consumers.add(consumer);
        }
        consumer.channels.set(stream * 2, rtp);
        consumer.channels.set(stream * 2 + 1, rtp + 1);
        reply("200 OK", { Transport: `RTP/AVP/TCP;unicast;interleaved=${rtp}-${rtp + 1}`, Session: session });
        break;
      }
      case "PLAY":
        if (consumer) consumer.playing = true;
        reply("200 OK", { Session: req.headers.session ?? "", Range: "npt=0.000-" });
        break;
      case "RECORD":
        reply("200 OK", { Session: req.headers.session ?? "" });
        break;
      case "GET_PARAMETER":
      case "SET_PARAMETER":
        reply("200 OK", { Session: req.headers.session ?? "" });
        break;
      case "TEARDOWN":
        reply("200 OK");
        socket.end();
        break;
      default:
        reply("501 Not Implemented");
    }
    return { consumer, publishedPath };
  }
}

function pathOf(uri: string): string {
  try {
    return new URL(uri).pathname.replace(/^\/+|\/+$/g, "");
  } catch {
    return uri;
  }
}
