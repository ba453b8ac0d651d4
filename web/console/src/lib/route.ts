// The console's own URL routing under /console/. The server answers every
// /console/... path with index.html, so these paths survive a reload.
import { useEffect, useState } from 'preact/hooks';

export type ViewName = 'chats' | 'visitors' | 'history' | 'reports' | 'offline' | 'settings' | 'operators';

export interface Route {
  view: ViewName;
  /** /console/chats/12 opens chat 12 in the Chats view */
  chatId: number | null;
}

const BASE = '/console/';
const VIEWS: ViewName[] = ['chats', 'visitors', 'history', 'reports', 'offline', 'settings', 'operators'];

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '';
  const [head, id] = rest.split('/');
  const view = (VIEWS as string[]).includes(head) ? (head as ViewName) : 'chats';
  const chatId = view === 'chats' && id && /^\d+$/.test(id) ? Number(id) : null;
  return { view, chatId };
}

export function routePath(r: Route): string {
  if (r.view === 'chats' && r.chatId !== null) return `${BASE}chats/${r.chatId}`;
  return `${BASE}${r.view}`;
}

const listeners = new Set<() => void>();

export function navigate(r: Route, replace = false): void {
  const path = routePath(r);
  if (path !== location.pathname) {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
  for (const fn of listeners) fn();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
