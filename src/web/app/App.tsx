import { lazy, Suspense, useEffect, type ReactNode } from "react";
import { useSession } from "./shell/session.tsx";
import { AppShell, homeOf } from "./shell/AppShell.tsx";
import { LoginScreen } from "./shell/LoginScreen.tsx";
import { PasswordChange } from "./shell/PasswordChange.tsx";
import { match, navigate, useLocation } from "./shell/router.tsx";
import { Spinner } from "./shell/feedback.tsx";
import { ReviewScreen } from "./review/ReviewScreen.tsx";
import { CaseListScreen } from "./review/CaseListScreen.tsx";
import { CaseScreen } from "./review/CaseScreen.tsx";
import { CaseRecordScreen } from "./record/CaseRecordScreen.tsx";
import { MyTasksScreen } from "./officer/MyTasksScreen.tsx";
import { TaskScreen } from "./officer/TaskScreen.tsx";
import { CamerasScreen } from "./admin/CamerasScreen.tsx";
import { CameraEditScreen } from "./admin/CameraEditScreen.tsx";
import { UsersScreen } from "./admin/UsersScreen.tsx";
import { ShopsScreen } from "./admin/ShopsScreen.tsx";
import { EdgesScreen } from "./admin/EdgesScreen.tsx";
import { PublicScreen } from "./public/PublicScreen.tsx";
import { MapScreen } from "./map/MapScreen.tsx";

// The dashboard pulls in ECharts; officers on phones never download it.
const DashboardScreen = lazy(() => import("./dashboard/DashboardScreen.tsx").then((m) => ({ default: m.DashboardScreen })));

const routes: { pattern: string; render: (p: Record<string, string>) => ReactNode }[] = [
  { pattern: "/review", render: () => <ReviewScreen /> },
  { pattern: "/cases", render: () => <CaseListScreen /> },
  { pattern: "/cases/:id", render: (p) => <CaseScreen caseId={p.id} /> },
  { pattern: "/cases/:id/record", render: (p) => <CaseRecordScreen caseId={p.id} /> },
  { pattern: "/tasks", render: () => <MyTasksScreen /> },
  { pattern: "/tasks/:id", render: (p) => <TaskScreen caseId={p.id} /> },
  { pattern: "/dashboard", render: () => <DashboardScreen /> },
  { pattern: "/map", render: () => <MapScreen /> },
  { pattern: "/admin/cameras", render: () => <CamerasScreen /> },
  { pattern: "/admin/cameras/new", render: () => <CameraEditScreen cameraId={null} /> },
  { pattern: "/admin/cameras/:id", render: (p) => <CameraEditScreen cameraId={p.id} /> },
  { pattern: "/admin/users", render: () => <UsersScreen /> },
  { pattern: "/admin/shops", render: () => <ShopsScreen /> },
  { pattern: "/admin/edges", render: () => <EdgesScreen /> },
];

export function App() {
  const { user, checking, refresh } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (user && (path === "/" || path === "/login")) navigate(homeOf(user.role), true);
  }, [user, path]);

  // The public pages need no login, whoever is (or is not) signed in.
  if (path === "/public" || path.startsWith("/public/")) return <PublicScreen />;
  if (checking) return <Spinner />;
  if (!user) return <LoginScreen />;
  if (user.mustChangePassword) return <PasswordChange onDone={() => void refresh()} />;

  for (const r of routes) {
    const params = match(r.pattern, path);
    if (params)
      return (
        <AppShell>
          <Suspense fallback={<Spinner />}>{r.render(params)}</Suspense>
        </AppShell>
      );
  }
  return (
    <AppShell>
      <p>404 — {path}</p>
    </AppShell>
  );
}
