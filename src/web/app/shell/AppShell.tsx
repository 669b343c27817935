import type { ReactNode } from "react";
import type { Role } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Link } from "./router.tsx";
import { useSession, useUser } from "./session.tsx";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { CaseNumberSearch } from "./CaseNumberSearch.tsx";

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

const nav: NavItem[] = [
  { to: "/review", label: "Review queue", roles: ["operator", "administrator"] },
  { to: "/cases", label: "Cases", roles: ["operator", "administrator", "supervisor"] },
  { to: "/tasks", label: "My tasks", roles: ["officer", "auxiliary"] },
  { to: "/dashboard", label: "Dashboard", roles: ["operator", "administrator", "supervisor"] },
  { to: "/map", label: "Map", roles: ["operator", "administrator", "supervisor"] },
  { to: "/admin/cameras", label: "Cameras", roles: ["administrator"] },
  { to: "/admin/users", label: "Users", roles: ["administrator"] },
  { to: "/admin/shops", label: "Shops", roles: ["administrator"] },
  { to: "/admin/edges", label: "Edge workers", roles: ["administrator"] },
];

/** Where each role starts its shift. */
export function homeOf(role: Role): string {
  if (role === "officer" || role === "auxiliary") return "/tasks";
  if (role === "administrator") return "/admin/cameras";
  if (role === "supervisor") return "/dashboard";
  return "/review";
}

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const user = useUser();
  const { logout } = useSession();
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t("CurbWatch")}</span>
        <nav className="mainnav">
          {nav
            .filter((n) => n.roles.includes(user.role))
            .map((n) => (
              <Link key={n.to} to={n.to}>
                {t(n.label)}
              </Link>
            ))}
        </nav>
        <CaseNumberSearch />
        <span className="who" title={user.id}>
          {user.name} · {t(user.role)}
        </span>
        <LanguageSwitch />
        <button type="button" className="link-button" onClick={() => void logout()}>
          {t("Sign out")}
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
