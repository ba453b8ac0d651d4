// The logged-in console: header, navigation and the current view, all under
// one live connection (LiveContext).
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../api/types';
import { navigate, useRoute, type ViewName } from '../lib/route';
import { LiveContext, useLive } from '../state/useLive';
import { titleCount } from '../state/notify';
import { useAlerts, usePreferences, useTitle } from '../state/useNotifications';
import { NotificationsPanel } from './notify/NotificationsPanel';
import { ChatsView } from './chats/ChatsView';
import { Header } from './Header';
import { HistoryView } from './history/HistoryView';
import { OfflineMessagesView } from './offline/OfflineMessagesView';
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
  const [notifyOpen, setNotifyOpen] = useState(false);
  const alerts = useAlerts();

  const live = useLive(session.operator, {
    onFrame: alerts.onFrame,
    visitorsOpen: route.view === 'visitors',
    openChatId,
    onUnauthorized: onSocketUnauthorized,
    onFatal: (code) => setFatal(FATAL_TEXT[code] ?? `The console socket was closed (${code}).`),
  });
  const { state } = live;
  const isAdmin = state.me.role === 'admin';
  const prefs = usePreferences(state.changed.preferences);
  alerts.update(prefs.prefs, openChatId);
  useTitle(titleCount(state), prefs.prefs);

  useEffect(() => {
    if (route.view === 'chats') setLastChatId(route.chatId);
  }, [route.view, route.chatId]);


  let view: ViewName = route.view;
  if (view === 'operators' && !isAdmin) view = 'chats';

  return (
    <LiveContext.Provider value={live}>
      <div class="shell">
        <Header
          view={view}
          isAdmin={isAdmin}
          badge={titleCount(state)}
          onNavigate={(v) => navigate({ view: v, chatId: v === 'chats' ? lastChatId : null })}
          onLoggedOut={onLoggedOut}
          notificationsOpen={notifyOpen}
          onToggleNotifications={() => setNotifyOpen(!notifyOpen)}
        />
        {notifyOpen && (
          <NotificationsPanel prefs={prefs.prefs} onSaved={prefs.setPrefs} onClose={() => setNotifyOpen(false)} />
        )}
        {fatal && (
          <div class="banner banner-error" role="alert">
            {fatal}
          </div>
        )}
        {!fatal && (state.socket === 'reconnecting' || state.socket === 'stopped') && (
          <div class="banner banner-offline" role="alert" data-testid="offline-banner">
            Disconnected from the server: messages cannot be sent, and new chats and messages do not show, until the
            console is back online.
            {state.socket === 'reconnecting' && ' Reconnecting…'}
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
          {view === 'offline' && <OfflineMessagesView />}
          {view === 'reports' && <ReportsView />}
          {view === 'settings' && <SettingsView isAdmin={isAdmin} />}
          {view === 'operators' && <OperatorsView />}
        </main>
      </div>
    </LiveContext.Provider>
  );
}
