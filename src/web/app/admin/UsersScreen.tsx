import { useState, type FormEvent } from "react";
import { api, get, post } from "../api/client.ts";
import { roles, type RegistryUser as UserRow, type Role, type CertificateBody, type UserBody } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, FieldError, formatDate, Spinner, useAction, useLoad } from "../shell/feedback.tsx";

/** Users, their streets/grids (which decide dispatch suggestions) and officers' enforcement certificates. */
export function UsersScreen() {
  const { t, lang } = useI18n();
  const users = useLoad((signal) => get<UserRow[]>("/users", signal), []);
  const [editing, setEditing] = useState<UserRow | "new" | null>(null);
  const revoke = useAction();
  return (
    <section>
      <div className="screen-head">
        <h2>{t("Users")}</h2>
        <button type="button" className="primary" onClick={() => setEditing("new")}>
          + {t("New user")}
        </button>
      </div>
      <ErrorNotice error={users.error ?? revoke.error} onRetry={users.reload} />
      {users.loading && !users.value && <Spinner />}
      {editing && <UserForm user={editing === "new" ? null : editing} onDone={() => (setEditing(null), users.reload())} />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t("Name")}</th>
              <th>{t("Role")}</th>
              <th>{t("Street")}</th>
              <th>{t("Certificates")}</th>
              <th>{t("Active")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users.value ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.username ?? u.id}</td>
                <td>{u.name}</td>
                <td>{t(u.role)}</td>
                <td>{[...u.streets, ...u.grids].join(", ") || "—"}</td>
                <td>
                  {u.certificates.map((c) => (
                    <div key={c.number}>
                      {c.number} · {t("Expires")} {formatDate(c.expiresAt, lang)} {c.revokedAt ? `✕ ${t("Revoked")}` : ""}
                      {!c.revokedAt && (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => void revoke.run(() => post(`/certificates/${encodeURIComponent(c.number)}/revoke`, {})).then(users.reload)}
                        >
                          {t("Revoke")}
                        </button>
                      )}
                    </div>
                  ))}
                </td>
                <td>{u.active ? "✓" : "✕"}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => setEditing(u)}>
                    {t("Edit")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function UserForm({ user, onDone }: { user: UserRow | null; onDone: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({
    id: user?.id ?? "",
    name: user?.name ?? "",
    role: user?.role ?? ("officer" as Role),
    streets: user?.streets.join(", ") ?? "",
    grids: user?.grids.join(", ") ?? "",
    password: "",
    active: user?.active ?? true,
  });
  const [cert, setCert] = useState({ number: "", issuingAuthority: "", validFrom: "", expiresAt: "" });
  const action = useAction();
  const list = (s: string) =>
    s
      .split(/[,，]/)
      .map((x) => x.trim())
      .filter(Boolean);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await action.run(async () => {
      // A new user is created only if the ID is free (If-None-Match: *): no silent overwrite.
      await api(
        "PUT",
        `/users/${encodeURIComponent(f.id)}`,
        {
          name: f.name,
          role: f.role,
          active: f.active,
          streets: list(f.streets),
          grids: list(f.grids),
          ...(f.password ? { password: f.password } : {}),
        } satisfies UserBody,
        user ? {} : { headers: { "if-none-match": "*" } },
      );
      if (cert.number)
        await post(`/users/${encodeURIComponent(f.id)}/certificates`, {
          ...cert,
          validFrom: new Date(cert.validFrom).toISOString(),
          expiresAt: new Date(cert.expiresAt).toISOString(),
        } satisfies CertificateBody);
      return true;
    });
    if (ok) onDone();
  }
  return (
    <form className="card form-grid user-form" onSubmit={submit} noValidate>
      <h3 className="form-title">{user ? t("Edit user {id}", { id: user.id }) : t("New user")}</h3>
      <label>
        {t("User ID (login name)")}
        <input name="userId" value={f.id} readOnly={!!user} required onChange={(e) => setF({ ...f, id: e.target.value })} />
        <FieldError error={action.error} path="id" />
      </label>
      <label>
        {t("Name")}
        <input name="name" value={f.name} required onChange={(e) => setF({ ...f, name: e.target.value })} />
        <FieldError error={action.error} path="name" />
      </label>
      <label>
        {t("Role")}
        <select name="role" value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as Role })}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(r)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("Street")}
        <input name="streets" value={f.streets} onChange={(e) => setF({ ...f, streets: e.target.value })} />
      </label>
      <label>
        {t("Grid")}
        <input name="grids" value={f.grids} onChange={(e) => setF({ ...f, grids: e.target.value })} />
      </label>
      <label>
        {user ? `${t("New one-time password")} (${t("Optional")})` : t("Initial password")}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          value={f.password}
          aria-describedby="password-rules"
          onChange={(e) => setF({ ...f, password: e.target.value })}
        />
        <small id="password-rules" className="hint">
          {t("At least 12 characters, at least 5 different characters, not containing the user ID; the user changes it at first login")}
        </small>
        <FieldError error={action.error} path="password" />
      </label>
      <label className="check">
        <input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} /> {t("Active")}
      </label>
      {f.role === "officer" && (
        <fieldset className="form-grid">
          <legend>{t("Add certificate")}</legend>
          <label>
            {t("Certificate number")}
            <input name="certNumber" value={cert.number} onChange={(e) => setCert({ ...cert, number: e.target.value })} />
            <FieldError error={action.error} path="number" />
          </label>
          <label>
            {t("Issuing authority")}
            <input
              name="certAuthority"
              value={cert.issuingAuthority}
              required={!!cert.number}
              onChange={(e) => setCert({ ...cert, issuingAuthority: e.target.value })}
            />
          </label>
          <label>
            {t("Valid from")}
            <input
              name="certFrom"
              type="date"
              value={cert.validFrom}
              required={!!cert.number}
              onChange={(e) => setCert({ ...cert, validFrom: e.target.value })}
            />
          </label>
          <label>
            {t("Expires")}
            <input
              name="certExpires"
              type="date"
              value={cert.expiresAt}
              required={!!cert.number}
              onChange={(e) => setCert({ ...cert, expiresAt: e.target.value })}
            />
          </label>
        </fieldset>
      )}
      <div className="form-actions">
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {t("Save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("Cancel")}
        </button>
      </div>
    </form>
  );
}
