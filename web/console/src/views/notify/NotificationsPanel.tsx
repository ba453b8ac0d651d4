// The "Notifications" panel, opened from the top bar: the operator's own
// preferences (kept on the server, so they follow them to every browser)
// and the browser's permission for notifications, asked only from a click.
import { useState } from 'preact/hooks';
import { changePreferences } from '../../api/endpoints';
import type { NotifyEvent, Preferences, PreferencesPatch } from '../../api/types';
import { CheckboxField } from '../../components/fields';
import { playTone, unlockSound } from '../../lib/sound';
import { notificationPermission } from '../../state/useNotifications';
import { SaveStatus } from '../settings/SaveStatus';
import { useSave } from '../settings/useSave';
import '../../styles/notify.css';

const EVENTS: { event: NotifyEvent; label: string }[] = [
  { event: 'new_ticket', label: 'New chat waiting' },
  { event: 'assigned', label: 'Chat assigned to me' },
  { event: 'message', label: 'New message in a chat I am not looking at' },
];

interface Props {
  prefs: Preferences | null;
  onSaved: (p: Preferences) => void;
  onClose: () => void;
}

export function NotificationsPanel({ prefs: saved, onSaved, onClose }: Props) {
  const save = useSave();
  const [permission, setPermission] = useState(notificationPermission());
  // The boxes show a choice at once; a refused change puts them back.
  const [pending, setPending] = useState<PreferencesPatch>({});
  const prefs = saved && { ...saved, ...pending };

  async function change(patch: PreferencesPatch) {
    unlockSound(); // a click: the browser lets the console play sound from now on
    setPending((p) => ({ ...p, ...patch }));
    await save.run(async () => onSaved(await changePreferences(patch)));
    setPending((p) => {
      const rest = { ...p };
      for (const k of Object.keys(patch) as (keyof PreferencesPatch)[]) if (rest[k] === patch[k]) delete rest[k];
      return rest;
    });
  }

  async function askPermission() {
    unlockSound();
    try {
      setPermission(await Notification.requestPermission());
    } catch {
      setPermission(notificationPermission());
    }
  }

  function toggleEvent(event: NotifyEvent, on: boolean) {
    if (!prefs) return;
    const events = on ? [...prefs.events.filter((e) => e !== event), event] : prefs.events.filter((e) => e !== event);
    void change({ events });
  }

  return (
    <section id="notifications-panel" class="notify-panel" aria-labelledby="notifications-title">
      <div class="notify-head">
        <h2 id="notifications-title">Notifications</h2>
        <button type="button" class="link" onClick={onClose}>
          Close
        </button>
      </div>
      {!prefs ? (
        <p class="muted">Loading…</p>
      ) : (
        <div class="notify-body" data-testid="notify-prefs" data-updated={prefs.updated_at ?? ''}>
          <fieldset>
            <legend>How</legend>
            <CheckboxField id="notify-sound" label="Sound" checked={prefs.sound} disabled={save.busy} onChange={(v) => void change({ sound: v })} />
            <CheckboxField
              id="notify-browser"
              label="Browser notifications"
              checked={prefs.browser_notifications}
              disabled={save.busy}
              onChange={(v) => void change({ browser_notifications: v })}
            />
            <CheckboxField
              id="notify-title"
              label="Count in the tab title"
              checked={prefs.title_count}
              disabled={save.busy}
              onChange={(v) => void change({ title_count: v })}
            />
          </fieldset>
          <fieldset>
            <legend>When</legend>
            {EVENTS.map((e) => (
              <CheckboxField
                key={e.event}
                id={`notify-${e.event}`}
                label={e.label}
                checked={prefs.events.includes(e.event)}
                disabled={save.busy}
                onChange={(v) => toggleEvent(e.event, v)}
              />
            ))}
          </fieldset>
          <p class="notify-permission" data-testid="notify-permission">
            {permission === 'granted' && 'This browser shows notifications from Output Desk.'}
            {permission === 'denied' && 'This browser blocks notifications from Output Desk: allow them in its site settings.'}
            {permission === 'unsupported' && 'This browser cannot show notifications.'}
            {permission === 'default' && (
              <button type="button" onClick={() => void askPermission()}>
                Allow browser notifications
              </button>
            )}
          </p>
          <p class="hint muted">
            Nothing sounds or pops up while you are Away. Your choices are kept with your account, on every browser.
          </p>
          <button type="button" onClick={() => (unlockSound(), playTone())}>
            Play the sound
          </button>
          <SaveStatus error={save.error} saved={save.saved} />
        </div>
      )}
    </section>
  );
}
