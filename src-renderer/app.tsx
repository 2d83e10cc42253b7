import { useEffect, useState } from 'react';
import { ConnectionBanner } from './components/connection-banner.js';
import { ProtectionBanner } from './components/protection-banner.js';
import { AgentsPage } from './pages/agents-page.js';
import { ActivityPage } from './pages/activity-page.js';
import { ApprovalsPage } from './pages/approvals-page.js';
import { ConnectionsPage } from './pages/connections-page.js';
import { HistoryPage } from './pages/history-page.js';
import { MaskingPage } from './pages/masking-page.js';
import { OrgPage } from './pages/org-page.js';
import { PoliciesPage } from './pages/policies-page.js';
import { Link, queryParam, useRoute } from './router.js';
import { LiveProvider, useLive } from './live.js';

const PAGES = [
  { route: '/', label: 'Activity' },
  { route: '/approvals', label: 'Approvals' },
  { route: '/history', label: 'History' },
  { route: '/policies', label: 'Policies' },
  { route: '/masking', label: 'Masking' },
  { route: '/connections', label: 'Connections' },
  { route: '/agents', label: 'Agents' },
  { route: '/org', label: 'Org' },
] as const;

type Theme = 'light' | 'dark' | 'system';

export function App() {
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}

function Shell() {
  const route = useRoute();
  const live = useLive();
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('airlock.theme') as Theme | null) ?? 'system');
  useEffect(() => {
    localStorage.setItem('airlock.theme', theme);
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  const section = '/' + (route.split('/')[1] ?? '');
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Airlock">
        <div className="brand">Airlock</div>
        <ul>
          {PAGES.map((page) => (
            <li key={page.route}>
              <Link to={page.route} className="nav-link" ariaCurrent={section === page.route}>
                {page.label}
                {page.route === '/approvals' && live.pending.length > 0 && (
                  <span className="badge badge-waiting" aria-label={`${live.pending.length} waiting`}>
                    {live.pending.length}
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
        <label className="theme-picker">
          Theme
          <select value={theme} onChange={(event) => setTheme(event.target.value as Theme)}>
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </nav>
      <main className="content">
        <ConnectionBanner />
        <ProtectionBanner />
        <Page route={route} />
      </main>
    </div>
  );
}

function Page({ route }: { route: string }) {
  const [, section, rest] = route.split('/');
  switch (section) {
    case '':
      return <ActivityPage />;
    case 'approvals':
      // Desktop notifications open `/approvals?focus=<id>`; `/approvals/<id>` works too.
      return <ApprovalsPage focus={rest ? decodeURIComponent(rest) : queryParam('focus')} />;
    case 'history':
      return <HistoryPage sessionId={rest ? decodeURIComponent(rest) : undefined} />;
    case 'policies':
      return <PoliciesPage />;
    case 'masking':
      return <MaskingPage />;
    case 'connections':
      return <ConnectionsPage />;
    case 'agents':
      // The tray's "Connect an agent…" opens `/agents?app=<id>`.
      return <AgentsPage app={queryParam('app')} />;
    case 'org':
      return <OrgPage />;
    default:
      return <p role="alert">There is no page at {route}.</p>;
  }
}
