import { useEffect, useRef, useState } from "react";
import { post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner } from "../shell/feedback.tsx";
import { LocalError } from "../i18n/error-messages.ts";
import type { LiveTicket } from "../api/types.ts";

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

/** Attempts before the viewer is told the camera cannot be shown (each one with a new ticket). */
const MAX_ATTEMPTS = 3;
/** No picture for this long means the stream is gone: reconnect with a fresh ticket. */
const NO_PICTURE_MS = 12_000;

function LivePlayer({ cameraId }: { cameraId: string }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [playing, setPlaying] = useState(false);
  const [attempt, setAttempt] = useState(1);
  /** Bumped by "Retry" so the same attempt number still starts over. */
  const [round, setRound] = useState(0);
  useEffect(() => {
    let player: { destroy(): void } | null = null;
    let cancelled = false;
    let lastPicture = Date.now();
    // A ticket is single-use, so jsmpeg's own reconnect (same URL) is off; a watchdog asks for a new ticket instead.
    const watchdog = setInterval(() => {
      if (cancelled || Date.now() - lastPicture < NO_PICTURE_MS) return;
      cancelled = true;
      player?.destroy();
      player = null;
      setPlaying(false);
      if (attempt >= MAX_ATTEMPTS)
        setError(new LocalError(t("The live picture is unavailable: the camera sends nothing. Check the camera and its edge worker, then try again.")));
      else setAttempt(attempt + 1);
    }, 1000);
    (async () => {
      try {
        const ticket = await post<LiveTicket>(`/cameras/${encodeURIComponent(cameraId)}/live`, {});
        const { default: JSMpeg } = await import("@cycjimmy/jsmpeg-player");
        if (cancelled || !canvas.current) return;
        const host = ticket.wsPort ? `${location.hostname}:${ticket.wsPort}` : location.host;
        const url = `${location.protocol === "https:" ? "wss" : "ws"}://${host}${ticket.wsPath}`;
        lastPicture = Date.now();
        player = new JSMpeg.Player(url, {
          canvas: canvas.current,
          autoplay: true,
          audio: false,
          reconnectInterval: 0,
          onVideoDecode: () => {
            lastPicture = Date.now();
            setPlaying(true);
          },
        });
      } catch (err) {
        if (!cancelled) {
          cancelled = true;
          setError(err);
        }
      }
    })();
    return () => {
      cancelled = true;
      clearInterval(watchdog);
      player?.destroy();
    };
  }, [cameraId, attempt, round, t]);
  return (
    <div className="live-player" data-playing={playing ? "yes" : "no"}>
      <canvas ref={canvas} width={640} height={360} />
      {!playing && !error && (
        <Spinner label={attempt > 1 ? t("Reconnecting to camera ({n}/{max})…", { n: attempt, max: MAX_ATTEMPTS }) : t("Connecting to camera…")} />
      )}
      <ErrorNotice error={error} onRetry={error ? () => (setError(null), setAttempt(1), setRound(round + 1)) : undefined} />
    </div>
  );
}
