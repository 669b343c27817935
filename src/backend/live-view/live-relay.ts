import { randomBytes } from "node:crypto";
import { redactUrlsIn } from "../../shared/url-redaction.ts";
import type { IncomingMessage } from "node:http";
import { spawn, type ChildProcess } from "node:child_process";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "../../shared/logger.ts";

/** jsmpeg expects this 8-byte header first: magic "jsmp", then width and height (uint16 BE). */
function jsmpegHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(8);
  b.write("jsmp");
  b.writeUInt16BE(width, 4);
  b.writeUInt16BE(height, 6);
  return b;
}

interface Relay {
  cameraId: string;
  ffmpeg: ChildProcess;
  viewers: Set<WebSocket>;
  idleTimer?: ReturnType<typeof setTimeout>;
}

interface Ticket {
  cameraId: string;
  viewerId: string;
  expiresAt: number;
}

export interface LiveRelayOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  ffmpegPath: string;
  log: Logger;
  /** How long a ticket may wait before the browser connects. */
  ticketSeconds?: number;
  /** Grace after the last viewer leaves, so a quick reconnect does not restart ffmpeg. */
  idleStopSeconds?: number;
  width?: number;
  height?: number;
}

/**
 * On-demand live view: one ffmpeg per watched camera, started by the first viewer and stopped
 * when the last one leaves. The WebSocket accepts only single-use tickets issued to a
 * logged-in user by the API, so the relay itself needs no session handling.
 */
export class LiveRelay {
  private wss: WebSocketServer | null = null;
  private readonly relays = new Map<string, Relay>();
  private readonly tickets = new Map<string, Ticket>();
  port = 0;

  constructor(private opts: LiveRelayOptions) {}

  async start(): Promise<void> {
    this.wss = new WebSocketServer({ host: this.opts.host, port: this.opts.port, path: undefined });
    await new Promise<void>((resolve, reject) => {
      this.wss!.once("listening", resolve);
      this.wss!.once("error", reject);
    });
    this.port = (this.wss.address() as import("node:net").AddressInfo).port;
    this.wss.on("connection", (ws, req) => void this.onConnection(ws, req));
  }

  async stop(): Promise<void> {
    for (const r of this.relays.values()) this.stopRelay(r);
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    for (const c of this.wss?.clients ?? []) c.terminate();
  }

  /** A single-use ticket for one viewer of one camera; the caller has already checked who may watch. */
  issueTicket(cameraId: string, viewerId: string): { wsPort: number; wsPath: string } {
    const now = Date.now();
    for (const [k, t] of this.tickets) if (t.expiresAt < now) this.tickets.delete(k);
    const token = randomBytes(24).toString("base64url");
    this.tickets.set(token, { cameraId, viewerId, expiresAt: now + (this.opts.ticketSeconds ?? 30) * 1000 });
    return { wsPort: this.port, wsPath: `/live/${encodeURIComponent(cameraId)}?ticket=${token}` };
  }

  /** Cameras being relayed and their viewer counts (tests, health). */
  active(): Record<string, number> {
    return Object.fromEntries([...this.relays.values()].map((r) => [r.cameraId, r.viewers.size]));
  }

  private resolveUrl: (cameraId: string) => Promise<string> = async () => {
    throw new Error("no stream resolver");
  };

  setStreamResolver(fn: (cameraId: string) => Promise<string>): void {
    this.resolveUrl = fn;
  }

  private async onConnection(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const url = new URL(req.url ?? "/", "http://relay");
    const token = url.searchParams.get("ticket") ?? "";
    const ticket = this.tickets.get(token);
    this.tickets.delete(token);
    if (!ticket || ticket.expiresAt < Date.now() || url.pathname !== `/live/${encodeURIComponent(ticket.cameraId)}`) {
      ws.close(4401, "invalid or expired live-view ticket");
      return;
    }
    let relay = this.relays.get(ticket.cameraId);
    if (!relay) {
      try {
        relay = this.startRelay(ticket.cameraId, await this.resolveUrl(ticket.cameraId));
      } catch (err) {
        ws.close(4404, redactUrlsIn(String((err as Error).message)).slice(0, 120));
        return;
      }
    }
    clearTimeout(relay.idleTimer);
    relay.viewers.add(ws);
    ws.send(jsmpegHeader(this.opts.width ?? 640, this.opts.height ?? 360), { binary: true });
    const r = relay;
    ws.on("close", () => {
      r.viewers.delete(ws);
      if (r.viewers.size === 0) r.idleTimer = setTimeout(() => r.viewers.size === 0 && this.stopRelay(r), (this.opts.idleStopSeconds ?? 5) * 1000);
    });
  }

  /**
   * The node-rtsp-stream recipe (ffmpeg → MPEG-TS with MPEG-1 video → jsmpeg), spawned here
   * rather than through its Mpeg1Muxer: that one puts every option after `-i`, so it cannot
   * ask for RTSP over TCP, which cameras behind NAT and our relay need.
   */
  private startRelay(cameraId: string, streamUrl: string): Relay {
    const w = this.opts.width ?? 640;
    const h = this.opts.height ?? 360;
    // A file source (the demo clip) is played in real time on a loop, like a camera.
    const input = /^rtsps?:/.test(streamUrl) ? ["-rtsp_transport", "tcp"] : ["-re", "-stream_loop", "-1"];
    // Scaled and bit-rate limited (MPEG-1 allows only standard frame rates, hence 25): a live view is for looking, not evidence; keeps CPU and bandwidth small.
    const args = [
      "-hide_banner",
      "-loglevel",
      "error",
      ...input,
      "-i",
      streamUrl,
      "-an",
      "-f",
      "mpegts",
      "-codec:v",
      "mpeg1video",
      "-vf",
      `scale=${w}:${h}`,
      "-r",
      "25",
      "-b:v",
      "800k",
      "-bf",
      "0",
      "pipe:1",
    ];
    const ffmpeg = spawn(this.opts.ffmpegPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const relay: Relay = { cameraId, ffmpeg, viewers: new Set() };
    ffmpeg.stdout!.on("data", (data: Buffer) => {
      for (const v of relay.viewers) if (v.readyState === v.OPEN && v.bufferedAmount < 4 * 1024 * 1024) v.send(data, { binary: true });
    });
    // stderr may echo the URL with its credentials: only its last line is kept, with the URL cut out.
    let lastError = "";
    ffmpeg.stderr!.on("data", (d: Buffer) => (lastError = d.toString().split(streamUrl).join("<camera>").trim().split("\n").pop()!.slice(0, 300)));
    ffmpeg.on("exit", (code) => {
      if (this.relays.get(cameraId) !== relay) return;
      this.relays.delete(cameraId);
      this.opts.log.warn({ cameraId, code, error: lastError }, "live view relay ended");
      for (const v of relay.viewers) v.close(4502, "camera stream ended");
    });
    this.relays.set(cameraId, relay);
    this.opts.log.info({ cameraId }, "live view relay started");
    return relay;
  }

  private stopRelay(r: Relay): void {
    clearTimeout(r.idleTimer);
    this.relays.delete(r.cameraId);
    r.ffmpeg.kill("SIGTERM");
    this.opts.log.info({ cameraId: r.cameraId }, "live view relay stopped (no viewers)");
  }
}
