import { useEffect, useRef, useState } from "react";
import type { CaseChange } from "../api/types.ts";

export type FeedStatus = "connecting" | "live" | "reconnecting";

/**
 * Subscribes to GET /api/events (SSE). Changes arriving in a burst are handed over together
 * after a short pause, so a flood of ingest updates costs one reload, not hundreds.
 */
export function useCaseEvents(onChanges: (changes: CaseChange[]) => void): FeedStatus {
  const [status, setStatus] = useState<FeedStatus>("connecting");
  const handler = useRef(onChanges);
  handler.current = onChanges;
  useEffect(() => {
    const source = new EventSource("/api/events", { withCredentials: true });
    let pending: CaseChange[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("ready", () => setStatus("live"));
    source.addEventListener("cases", (e) => {
      setStatus("live");
      try {
        pending.push(...(JSON.parse((e as MessageEvent).data).changes as CaseChange[]));
      } catch {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        const batch = pending;
        pending = [];
        handler.current(batch);
      }, 250);
    });
    source.onerror = () => setStatus("reconnecting");
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, []);
  return status;
}
