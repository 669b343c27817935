import { eventCodeLabel } from "../i18n/labels.ts";
import { useEffect, useState } from "react";
import { get } from "../api/client.ts";
import type { Camera, EventCode, RejectReason } from "../api/types.ts";

export interface ReferenceData {
  cameras: Camera[];
  codes: EventCode[];
  reasons: RejectReason[];
}

/** Registries the review screens label things with; loaded once per screen, each failure tolerated on its own. */
export function useReferenceData(): ReferenceData {
  const [data, setData] = useState<ReferenceData>({ cameras: [], codes: [], reasons: [] });
  useEffect(() => {
    const c = new AbortController();
    const load = <T>(path: string) => get<T>(path, c.signal).catch(() => null);
    void Promise.all([load<Camera[] | { items: Camera[] }>("/cameras"), load<EventCode[]>("/event-codes"), load<RejectReason[]>("/reject-reasons")]).then(
      ([cams, codes, reasons]) => setData({ cameras: Array.isArray(cams) ? cams : (cams?.items ?? []), codes: codes ?? [], reasons: reasons ?? [] }),
    );
    return () => c.abort();
  }, []);
  return data;
}

/** The zone polygon a case was raised in, when the camera registry carries zones. */
export function zoneOf(cameras: Camera[], cameraId: string, zoneId: string | null): [number, number][] | null {
  const cam = cameras.find((c) => c.id === cameraId);
  const zone = (cam?.zones as { id: string; polygon: [number, number][] }[] | undefined)?.find((z) => z.id === zoneId);
  return zone?.polygon ?? null;
}

/** The zone's name as the administrator gave it (null when it has none or is unknown). */
export function zoneNameOf(cameras: Camera[], cameraId: string, zoneId: string | null): string | null {
  const cam = cameras.find((c) => c.id === cameraId);
  const zone = (cam?.zones as { id: string; name?: string }[] | undefined)?.find((z) => z.id === zoneId);
  return zone?.name || null;
}

/** An event code ("05/01") in the person's language, or the code itself when it is not configured. */
export function eventCodeLabelOf(codes: EventCode[], code: string, lang: "zh" | "en"): string {
  const known = codes.find((c) => `${c.major}/${c.minor}` === code);
  return known ? eventCodeLabel(known, lang) : code;
}
