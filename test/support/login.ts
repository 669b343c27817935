/**
 * Logging in from tests. Every test user's password is derived from its username, so a
 * test that created a user (PUT /api/users/:id with password: testPassword(id)) can log in
 * as it. A one-time password is changed on first login to settledPassword(username).
 */
export const testPassword = (username: string) => `Test-Pa55word-${Buffer.from(username).toString("hex")}`;
export const settledPassword = (username: string) => `Settled-Pa55word-${Buffer.from(username).toString("hex")}`;

const cookies = new Map<string, string>();

async function tryLogin(baseUrl: string, username: string, password: string): Promise<{ cookie: string; mustChange: boolean } | null> {
  const r = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (r.status === 401) return null;
  if (r.status !== 200) throw new Error(`login as ${username}: ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { user: { mustChangePassword: boolean } };
  const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0];
  return { cookie, mustChange: body.user.mustChangePassword };
}

/** A session cookie ("cw_session=…") for this user on this back end; cached per back end and user. */
export async function loginAs(baseUrl: string, username: string, opts: { fresh?: boolean } = {}): Promise<string> {
  const key = `${baseUrl}|${username}`;
  const cached = cookies.get(key);
  if (cached && !opts.fresh) return cached;
  let s = await tryLogin(baseUrl, username, testPassword(username));
  if (s?.mustChange) {
    const r = await fetch(`${baseUrl}/api/auth/password`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: s.cookie },
      body: JSON.stringify({ currentPassword: testPassword(username), newPassword: settledPassword(username) }),
    });
    if (r.status !== 204) throw new Error(`password change for ${username}: ${r.status} ${await r.text()}`);
  } else if (!s) {
    s = await tryLogin(baseUrl, username, settledPassword(username));
    if (!s) throw new Error(`cannot log in as ${username}: neither its test password nor its settled password works`);
  }
  cookies.set(key, s!.cookie);
  return s!.cookie;
}
