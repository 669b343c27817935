import { useState, type FormEvent } from "react";
import type { Camera } from "../api/types.ts";
import type { Zone } from "../../../contracts/edge-config.ts";
import { defaultZoneFocusConfig } from "../../../contracts/zone-focus-config.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, FieldError, Spinner, useAction, useLoad } from "../shell/feedback.tsx";
import { navigate } from "../shell/router.tsx";
import { cameraApi, cameraBodyFrom } from "./camera-api.ts";
import { ZoneEditor } from "./ZoneEditor.tsx";
import { LiveView } from "../review/LiveView.tsx";

const text = ["name", "district", "street", "grid", "address", "streamUrl", "edgeId", "legalReviewer", "legalReviewRef"] as const;

/** Register or edit a camera; once it exists, its zones are drawn on a current frame at the top of its page. */
export function CameraEditScreen({ cameraId }: { cameraId: string | null }) {
  const { t } = useI18n();
  const cam = useLoad((signal) => (cameraId ? cameraApi.get(cameraId, signal) : Promise.resolve(null)), [cameraId]);
  if (cameraId && cam.loading && !cam.value) return <Spinner />;
  return (
    <section>
      <h2>{cameraId ? `${t("Camera")} ${cameraId}` : t("New camera")}</h2>
      <ErrorNotice error={cam.error} onRetry={cam.reload} />
      {/* The zones first: drawing them is what the page is opened for once the camera exists, and canvas and zone list fit one screen. */}
      {cameraId && cam.value && <ZoneEditor cameraId={cameraId} initial={(cam.value.zones ?? []) as Zone[]} />}
      {cameraId && cam.value && <h3 className="camera-details-head">{t("Camera details")}</h3>}
      <CameraForm
        key={cameraId ?? "new"}
        camera={cam.value ?? null}
        onSaved={(c) => (cameraId ? cam.reload() : navigate(`/admin/cameras/${encodeURIComponent(c.id)}`, true))}
      />
      {cameraId && cam.value && !cam.value.streamUrl && (
        <p className="notice warn">{t("This camera has no stream address, so its edge worker does not watch it; add one above")}</p>
      )}
      {cameraId && cam.value?.streamUrl && (
        <div className="card camera-live">
          <LiveView cameraId={cameraId} />
        </div>
      )}
    </section>
  );
}

function CameraForm({ camera, onSaved }: { camera: Camera | null; onSaved: (c: Camera) => void }) {
  const { t } = useI18n();
  const [id, setId] = useState(camera?.id ?? "");
  const [fields, setFields] = useState<Record<string, string>>(() => {
    const f: Record<string, string> = {};
    const src = (camera ?? {}) as Record<string, unknown>;
    for (const k of [...text, "lat", "lng"]) f[k] = src[k] == null ? "" : String(src[k]);
    f.username = "";
    f.password = "";
    f.legalReviewAt = typeof src.legalReviewAt === "string" ? src.legalReviewAt.slice(0, 10) : "";
    f.locationPublishedAt = typeof src.locationPublishedAt === "string" ? src.locationPublishedAt.slice(0, 10) : "";
    const focus = { ...defaultZoneFocusConfig, ...(camera?.zoneFocus ?? {}) };
    f.zoneFocusMax = String(focus.maxInferencesPerSample);
    f.zoneFocusFull = String(focus.fullFrameSeconds);
    return f;
  });
  const [focusEnabled, setFocusEnabled] = useState(camera?.zoneFocus?.enabled ?? defaultZoneFocusConfig.enabled);
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const field = (k: string, label: string, type = "text") => (
    <label>
      {label}
      <input
        name={k}
        type={type}
        step={type === "number" ? "any" : undefined}
        value={fields[k] ?? ""}
        onChange={(e) => (setSaved(false), setFields({ ...fields, [k]: e.target.value }))}
      />
      <FieldError error={action.error} path={k === "username" || k === "password" ? `credentials.${k}` : k} />
    </label>
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, unknown> = camera ? cameraBodyFrom(camera) : {};
    for (const k of text) if (fields[k] || camera) body[k] = fields[k] || null;
    // An unchanged stream URL is not sent back: the API shows it redacted, and absent means "keep".
    if (camera && fields.streamUrl === (camera.streamUrl ?? "")) delete body.streamUrl;
    if (fields.username) body.credentials = { username: fields.username, password: fields.password };
    for (const k of ["lat", "lng"]) body[k] = fields[k] === "" ? null : Number(fields[k]);
    for (const k of ["legalReviewAt", "locationPublishedAt"]) body[k] = fields[k] ? new Date(`${fields[k]}T00:00:00Z`).toISOString() : null;
    body.name = fields.name;
    body.zoneFocus = {
      ...(camera?.zoneFocus ?? {}),
      enabled: focusEnabled,
      maxInferencesPerSample: Number(fields.zoneFocusMax),
      fullFrameSeconds: Number(fields.zoneFocusFull),
    };
    const r = await action.run(() => cameraApi.save(id.trim(), body));
    if (r) {
      setSaved(true);
      onSaved({ ...(r as Camera), id: id.trim() });
    }
  }

  return (
    <form className="card form-grid camera-form" onSubmit={submit}>
      <label>
        ID
        <input name="id" value={id} onChange={(e) => setId(e.target.value)} required readOnly={!!camera} pattern="[A-Za-z0-9_.\-]{1,64}" />
      </label>
      {field("name", t("Name"))}
      {field("streamUrl", t("Stream URL"))}
      {field("username", `${t("Username")} (${t("Optional")})`)}
      {field("password", `${t("Password")} (${t("Optional")})`, "password")}
      {field("edgeId", t("Edge"))}
      {field("district", t("District"))}
      {field("street", t("Street"))}
      {field("grid", t("Grid"))}
      {field("address", t("Address"))}
      {field("lat", t("Latitude"), "number")}
      {field("lng", t("Longitude"), "number")}
      {field("legalReviewAt", t("Legal review date"), "date")}
      {field("legalReviewer", t("Legal reviewer"))}
      {field("legalReviewRef", t("Review reference"))}
      {field("locationPublishedAt", t("Location published on"), "date")}
      <fieldset className="zone-focus">
        <legend>{t("Zone-focused detection")}</legend>
        <label className="inline">
          <input type="checkbox" name="zoneFocusEnabled" checked={focusEnabled} onChange={(e) => (setSaved(false), setFocusEnabled(e.target.checked))} />
          {t("Detect on the zones' region at the model's own scale (finds small goods, carts and café furniture a whole-frame pass misses)")}
        </label>
        <label>
          {t("Inferences per sample, at most")}
          <input
            name="zoneFocusMax"
            type="number"
            min={1}
            max={16}
            value={fields.zoneFocusMax}
            disabled={!focusEnabled}
            onChange={(e) => (setSaved(false), setFields({ ...fields, zoneFocusMax: e.target.value }))}
          />
          <small>{t("More inferences find smaller objects in large zones and cost more CPU per camera")}</small>
          <FieldError error={action.error} path="zoneFocus.maxInferencesPerSample" />
        </label>
        <label>
          {t("Whole-frame pass every (s)")}
          <input
            name="zoneFocusFull"
            type="number"
            min={1}
            max={3600}
            value={fields.zoneFocusFull}
            disabled={!focusEnabled}
            onChange={(e) => (setSaved(false), setFields({ ...fields, zoneFocusFull: e.target.value }))}
          />
          <FieldError error={action.error} path="zoneFocus.fullFrameSeconds" />
        </label>
      </fieldset>
      <div className="form-actions">
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {t("Save")}
        </button>
        {saved && <span className="notice ok">✓ {t("Saved")}</span>}
      </div>
    </form>
  );
}
