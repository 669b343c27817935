import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, ApiError, onUnauthorised } from "../api/client.ts";
import type { User, SessionAnswer, LoginInput } from "../api/types.ts";

interface Session {
  user: User | null;
  /** True until GET /api/auth/me has answered once. */
  checking: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in user, from the HttpOnly `cw_session` cookie the back end sets (the console never sees the token). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const r = await api<SessionAnswer>("GET", "/auth/me", undefined, { quiet401: true });
      setUser(r.user);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401 || err.status === 404) setUser(null);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthorised(() => setUser(null));
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const r = await api<SessionAnswer>("POST", "/auth/login", { username, password } satisfies LoginInput, { quiet401: true });
    setUser(r.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api("POST", "/auth/logout", {});
    } finally {
      setUser(null);
    }
  }, []);

  return <SessionContext.Provider value={{ user, checking, login, logout, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error("useUser needs a signed-in user");
  return user;
}
