import { useState, type FormEvent } from "react";
import { get, put } from "../api/client.ts";
import type { Shop } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, Spinner, useAction, useLoad } from "../shell/feedback.tsx";

/** Registered shops: the subjects of shop-overflow cases (首违不罚 counts per shop). */
export function ShopsScreen() {
  const { t } = useI18n();
  const shops = useLoad((signal) => get<Shop[]>("/shops", signal), []);
  const [f, setF] = useState({ id: "", name: "", address: "", licenceNo: "", street: "" });
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const existing = shops.value?.find((s) => s.id === f.id);
    const ok = await action.run(() =>
      put(`/shops/${encodeURIComponent(f.id)}`, {
        name: f.name,
        address: f.address,
        licenceNo: f.licenceNo || null,
        street: f.street || null,
        cameraId: existing?.cameraId ?? null,
        zoneId: existing?.zoneId ?? null,
        frontLine: existing?.frontLine ?? null,
      }).then(() => true),
    );
    if (ok) {
      setF({ id: "", name: "", address: "", licenceNo: "", street: "" });
      shops.reload();
    }
  }
  const input = (k: keyof typeof f, label: string, required = false) => (
    <label>
      {label}
      <input name={`shop-${k}`} value={f[k]} required={required} onChange={(e) => setF({ ...f, [k]: e.target.value })} />
    </label>
  );
  return (
    <section>
      <h2>{t("Shops")}</h2>
      <form className="card form-grid" onSubmit={submit}>
        {input("id", "ID", true)}
        {input("name", t("Name"), true)}
        {input("address", t("Address"), true)}
        {input("licenceNo", t("Licence no."))}
        {input("street", t("Street"))}
        <div className="form-actions">
          <ErrorNotice error={action.error} />
          <button className="primary" disabled={action.busy}>
            {t("Save")}
          </button>
        </div>
      </form>
      <ErrorNotice error={shops.error} onRetry={shops.reload} />
      {shops.loading && !shops.value && <Spinner />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t("Name")}</th>
              <th>{t("Address")}</th>
              <th>{t("Licence no.")}</th>
              <th>{t("Camera")}</th>
              <th>{t("Zone")}</th>
            </tr>
          </thead>
          <tbody>
            {(shops.value ?? []).map((s) => (
              <tr key={s.id} onClick={() => setF({ id: s.id, name: s.name, address: s.address, licenceNo: s.licenceNo ?? "", street: s.street ?? "" })}>
                <td>{s.id}</td>
                <td>{s.name}</td>
                <td>{s.address}</td>
                <td>{s.licenceNo ?? "—"}</td>
                <td>{s.cameraId ?? "—"}</td>
                <td>{s.zoneId ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
