// The side effects of "Never miss a chat": the operator's preferences
// (read from the server, read again when any console of theirs changes
// them), the sound, the browser notification and the tab title. What
// calls for them is decided in notify.ts.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getPreferences } from '../api/endpoints';
import type { Preferences, ServerFrame } from '../api/types';
import { navigate } from '../lib/route';
import { playTone } from '../lib/sound';
import type { LiveState } from './live';
import { alertsFor, deliveryOf, titleText, type Alert, DEFAULT_PREFERENCES } from './notify';

/** The browser's notification permission, or 'unsupported'. */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * usePreferences reads the operator's preferences from the server, and
 * again on each settings.changed "preferences" (changed counts them).
 * null until the first answer: nothing alerts meanwhile.
 */
export function usePreferences(changed: number) {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  useEffect(() => {
    let current = true;
    getPreferences()
      .then((p) => current && setPrefs(p))
      .catch(() => {
        // keep what we have; the next change or reload reads them again
      });
    return () => {
      current = false;
    };
  }, [changed]);
  return { prefs, setPrefs };
}

/** Keys of alerts already given, so none is given twice (bounded). */
const MAX_REMEMBERED = 500;

function show(a: Alert): void {
  try {
    const n = new Notification(a.title, { body: a.body, tag: `outputdesk-chat-${a.chatId}` });
    n.onclick = () => {
      window.focus();
      navigate({ view: 'chats', chatId: a.chatId });
      n.close();
    };
  } catch {
    // some browsers allow notifications only from a service worker
  }
}

/**
 * useAlerts returns the frame listener for useLive: each frame, with the
 * state before it, may call for a sound and a notification. update hands
 * it what the operator sees and chose, on every render.
 */
export function useAlerts() {
  const situation = useRef<{ prefs: Preferences | null; openChatId: number | null }>({ prefs: null, openChatId: null });
  const since = useRef<number | null>(null);
  const given = useRef(new Set<string>());
  return useMemo(
    () => ({
      update(prefs: Preferences | null, openChatId: number | null) {
        situation.current = { prefs, openChatId };
      },
      onFrame(frame: ServerFrame, before: LiveState) {
        if (frame.type === 'welcome') {
          const t = frame.server_time ? Date.parse(frame.server_time) : NaN;
          since.current = Number.isNaN(t) ? Date.now() + before.clockOffset : t;
          return;
        }
        const { prefs, openChatId } = situation.current;
        if (!prefs) return;
        for (const a of alertsFor(before, frame, since.current)) {
          if (given.current.has(a.key)) continue;
          if (given.current.size >= MAX_REMEMBERED) given.current.clear();
          given.current.add(a.key);
          const d = deliveryOf(a, before.me, {
            prefs,
            openChatId,
            visible: document.visibilityState === 'visible',
            permission: notificationPermission(),
          });
          if (d.sound) playTone();
          if (d.notification) show(a);
        }
      },
    }),
    [],
  );
}

/** useTitle keeps the tab title: "(3) Output Desk" (notify.ts, titleText). */
export function useTitle(count: number, prefs: Preferences | null): void {
  const text = titleText(count, prefs ?? DEFAULT_PREFERENCES);
  useEffect(() => {
    document.title = text;
  }, [text]);
}
