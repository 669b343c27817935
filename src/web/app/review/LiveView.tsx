import { useEffect, useRef, useState } from "react";
import { post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner } from "../shell/feedback.tsx";

interface LiveTicket {
  /** The relay's WebSocket port on the console's host (0 = same port as the console). */
  wsPort: number;
  /** Path carrying a short-lived viewer ticket. */
  wsPath: string;
}

/**
 * Live picture on demand only: the back end starts an RTSP → MPEG-1 relay when the first
 * viewer asks and stops it when the last one leaves, so idle cameras cost nothing.
 */
export function LiveView({ cameraId }: { cameraId: string }) {
  const { t } = useI18n();
  const [on, setOn] = useState(false);
  useEffect(() => setOn(false), [cameraId]);
  return (
    <div className="live">
      <button type="button" onClick={() => setOn((v) => !v)} aria-pressed={on} data-key="l">
        <kbd>L</kbd> {on ? t("Stop live view") : t("Live view")}
      </button>
      {on && <LivePlayer cameraId={cameraId} />}
    </div>
  );
}

function LivePlayer({ cameraId }: { cameraId: string }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    let player: { destroy(): void } | null = null;
    let cancelled = false;
    (async () => {
      try {
        const ticket = await post<LiveTicket>(`/cameras/${encodeURIComponent(cameraId)}/live`, {});
        const { default: JSMpeg } = await import("@cycjimmy/jsmpeg-player");
        if (cancelled || !canvas.current) return;
        const host = ticket.wsPort ? `${location.hostname}:${ticket.wsPort}` : location.host;
        const url = `${location.protocol === "https:" ? "wss" : "ws"}://${host}${ticket.wsPath}`;
        player = new JSMpeg.Player(url, { canvas: canvas.current, autoplay: true, audio: false, onVideoDecode: () => setPlaying(true) });
      } catch (err) {
        if (!cancelled) setError(err);
      }
    })();
    return () => {
      cancelled = true;
      player?.destroy();
    };
  }, [cameraId]);
  return (
    <div className="live-player">
      <canvas ref={canvas} width={640} height={360} />
      {!playing && !error && <Spinner label={t("Connecting to camera…")} />}
      <ErrorNotice error={error} />
    </div>
  );
}
