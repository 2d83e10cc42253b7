import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';

/** The UI lives under /ui/; routes are the rest of the path (`/`, `/history/<id>`, …). */
const BASE = '/ui';

export function currentRoute(): string {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length) || '/' : '/';
}

export function navigate(route: string): void {
  if (route === currentRoute() + window.location.search) return;
  window.history.pushState(null, '', BASE + route);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** A parameter of the page's query string (`/agents?app=cursor`), read at render. */
export function queryParam(name: string): string | undefined {
  return new URLSearchParams(window.location.search).get(name) ?? undefined;
}

/** The current route, re-rendering on navigation, also when only the query changes (`?focus=`). */
export function useRoute(): string {
  const [{ route }, setRoute] = useState(() => ({ route: currentRoute(), search: window.location.search }));
  useEffect(() => {
    const update = () => setRoute({ route: currentRoute(), search: window.location.search });
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A link that navigates without reloading the page (and still opens in a new tab on middle-click). */
export function Link({ to, children, className, ariaCurrent }: { to: string; children: ReactNode; className?: string; ariaCurrent?: boolean }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={BASE + to} onClick={onClick} className={className} aria-current={ariaCurrent ? 'page' : undefined}>
      {children}
    </a>
  );
}
