// Top bar: navigation, who is logged in, their status, and "Log out".
import { useState } from 'preact/hooks';
import { logOut, setMyStatus } from '../api/endpoints';
import { errorText } from '../api/http';
import type { OperatorStatus } from '../api/types';
import { routePath, type ViewName } from '../lib/route';
import { useLiveContext } from '../state/useLive';

interface Props {
  view: ViewName;
  isAdmin: boolean;
  badge: number;
  onNavigate: (v: ViewName) => void;
  onLoggedOut: () => void;
  /** the "Notifications" panel is open; the button toggles it */
  notificationsOpen?: boolean;
  onToggleNotifications?: () => void;
}

const NAV: { view: ViewName; label: string; adminOnly?: boolean }[] = [
  { view: 'chats', label: 'Chats' },
  { view: 'visitors', label: 'Visitor List' },
  { view: 'history', label: 'History' },
  { view: 'reports', label: 'Reports' },
  { view: 'offline', label: 'Offline messages' },
  { view: 'settings', label: 'Settings' },
  { view: 'operators', label: 'Operators', adminOnly: true },
];

const STATUSES: OperatorStatus[] = ['Online', 'Away', 'Offline'];

const SOCKET_TEXT = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  stopped: 'Disconnected',
} as const;

export function Header({ view, isAdmin, badge, onNavigate, onLoggedOut, notificationsOpen, onToggleNotifications }: Props) {
  const { state, actions } = useLiveContext();
  const [error, setError] = useState('');

  async function changeStatus(status: OperatorStatus) {
    setError('');
    try {
      actions.applyOperator(await setMyStatus(status));
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function doLogOut() {
    try {
      await logOut();
    } catch {
      // The session is gone either way from this console's point of view.
    }
    onLoggedOut();
  }

  return (
    <header class="topbar">
      <div class="brand">Output Desk</div>
      <nav class="nav" aria-label="Main">
        {NAV.filter((n) => !n.adminOnly || isAdmin).map((n) => (
          <a
            key={n.view}
            href={routePath({ view: n.view, chatId: null })}
            aria-current={view === n.view ? 'page' : undefined}
            onClick={(e) => {
              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
              e.preventDefault();
              onNavigate(n.view);
            }}
          >
            {n.label}
            {n.view === 'chats' && badge > 0 && (
              <span class="badge" aria-hidden="true">
                {badge}
              </span>
            )}
          </a>
        ))}
      </nav>
      <div class="topbar-right">
        <span class={`conn conn-${state.socket}`} title="Live connection">
          {SOCKET_TEXT[state.socket]}
        </span>
        {error && (
          <span class="error" role="alert">
            {error}
          </span>
        )}
        <span class="me">{state.me.name}</span>
        <label for="my-status" class="sr-only">
          Status
        </label>
        <select
          id="my-status"
          data-testid="status"
          class={`status-select status-${state.me.status.toLowerCase()}`}
          value={state.me.status}
          onChange={(e) => void changeStatus(e.currentTarget.value as OperatorStatus)}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {onToggleNotifications && (
          <button
            type="button"
            aria-expanded={!!notificationsOpen}
            aria-controls={notificationsOpen ? 'notifications-panel' : undefined}
            onClick={onToggleNotifications}
          >
            Notifications
          </button>
        )}
        <button type="button" onClick={() => void doLogOut()}>
          Log out
        </button>
      </div>
    </header>
  );
}
