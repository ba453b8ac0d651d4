// The logged-in console: header, navigation and the current view, all under
// one live connection (LiveContext).
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../api/types';
import { navigate, useRoute, type ViewName } from '../lib/route';
import { myChats, unreadCount, waitingChats } from '../state/live';
import { LiveContext, useLive } from '../state/useLive';
import { ChatsView } from './chats/ChatsView';
import { Header } from './Header';
import { HistoryView } from './history/HistoryView';
import { ReportsView } from './reports/ReportsView';
import { OperatorsView } from './operators/OperatorsView';
import { SettingsView } from './settings/SettingsView';
import { VisitorListView } from './visitors/VisitorListView';

interface Props {
  session: Session;
  onLoggedOut: () => void;
  onSocketUnauthorized: () => void;
}

const FATAL_TEXT: Record<number, string> = {
  4400: 'The server refused this console (4400). Reload the page.',
  4403: 'This page’s origin is not allowed to open the console socket (4403).',
};

export function ConsoleShell({ session, onLoggedOut, onSocketUnauthorized }: Props) {
  const route = useRoute();
  const [fatal, setFatal] = useState('');
  const [lastChatId, setLastChatId] = useState<number | null>(route.chatId);
  const openChatId = route.view === 'chats' ? route.chatId : null;

  const live = useLive(session.operator, {
    visitorsOpen: route.view === 'visitors',
    openChatId,
    onUnauthorized: onSocketUnauthorized,
    onFatal: (code) => setFatal(FATAL_TEXT[code] ?? `The console socket was closed (${code}).`),
  });
  const { state } = live;
  const isAdmin = state.me.role === 'admin';

  useEffect(() => {
    if (route.view === 'chats') setLastChatId(route.chatId);
  }, [route.view, route.chatId]);

  const waiting = waitingChats(state).length;
  const unread = myChats(state).reduce((n, c) => n + unreadCount(state, c.id), 0);
  useEffect(() => {
    const n = waiting + unread;
    document.title = n > 0 ? `(${n}) Output Desk` : 'Output Desk';
  }, [waiting, unread]);

  let view: ViewName = route.view;
  if (view === 'operators' && !isAdmin) view = 'chats';

  return (
    <LiveContext.Provider value={live}>
      <div class="shell">
        <Header
          view={view}
          isAdmin={isAdmin}
          badge={waiting + unread}
          onNavigate={(v) => navigate({ view: v, chatId: v === 'chats' ? lastChatId : null })}
          onLoggedOut={onLoggedOut}
        />
        {fatal && (
          <div class="banner banner-error" role="alert">
            {fatal}
          </div>
        )}
        {state.notice && (
          <div class="banner" role="alert">
            <span>{state.notice}</span>
            <button type="button" class="link" onClick={live.actions.dismissNotice}>
              Dismiss
            </button>
          </div>
        )}
        <main class="view">
          {view === 'chats' && <ChatsView openChatId={openChatId} />}
          {view === 'visitors' && <VisitorListView />}
          {view === 'history' && <HistoryView />}
          {view === 'reports' && <ReportsView />}
          {view === 'settings' && <SettingsView isAdmin={isAdmin} />}
          {view === 'operators' && <OperatorsView />}
        </main>
      </div>
    </LiveContext.Provider>
  );
}
