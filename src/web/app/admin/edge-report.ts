import { useEffect, useState } from "react";
import { ApiError } from "../api/client.ts";

/** A part of a camera's health that the edge reports every few seconds, as the zone editor polls it. */
export type EdgeReportState<T> =
  | { kind: "off" }
  | { kind: "loading" }
  | { kind: "ready"; value: T }
  /** The edge has not reported it for this camera (not running, older version, or not yet). */
  | { kind: "not_reported" }
  | { kind: "error"; error: unknown };

/** The edge publishes camera health every 5 s; asking more often shows nothing new. */
const REFRESH_MS = 5_000;

/**
 * Polls `load` while `enabled` ("off" otherwise). The API's `notReportedCode` becomes
 * "not_reported"; a refresh that fails keeps what is already shown, only a first failure is shown.
 */
export function useEdgeReport<T>(cameraId: string, enabled: boolean, load: (cameraId: string, signal: AbortSignal) => Promise<T>, notReportedCode: string) {
  const [state, setState] = useState<EdgeReportState<T>>({ kind: "off" });
  useEffect(() => {
    if (!enabled) {
      setState({ kind: "off" });
      return;
    }
    setState({ kind: "loading" });
    let ctl = new AbortController();
    const refresh = () => {
      ctl.abort();
      ctl = new AbortController();
      const signal = ctl.signal;
      load(cameraId, signal).then(
        (value) => !signal.aborted && setState({ kind: "ready", value }),
        (err: unknown) => {
          if (signal.aborted) return;
          if (err instanceof ApiError && err.code === notReportedCode) setState({ kind: "not_reported" });
          else setState((s) => (s.kind === "ready" ? s : { kind: "error", error: err }));
        },
      );
    };
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
    // `load` is a module-level function of the caller; the poll restarts only for another camera or toggle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cameraId, enabled]);
  return state;
}
