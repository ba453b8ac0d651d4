// "Never miss a chat": which socket frame calls for a sound and a browser
// notification, and what the tab title counts. Pure: no Notification, no
// audio, no document here (useNotifications.ts does those), so each rule
// reads as a function of the state before the frame, the frame, and what
// the operator sees and chose. docs/behaviour.md, "Notifications".
import type { Chat, NotifyEvent, Preferences, ServerFrame } from '../api/types';
import { highestSeq, myChats, unreadCount, waitingChats, type LiveState } from './live';

/** Something the operator should hear of. */
export interface Alert {
  event: NotifyEvent;
  chatId: number;
  /** one key per happening, so the same one never alerts twice */
  key: string;
  title: string;
  body: string;
}

/** The preferences a console uses until the server's arrive: the defaults. */
export const DEFAULT_PREFERENCES: Preferences = {
  sound: true,
  browser_notifications: true,
  title_count: true,
  events: ['new_ticket', 'assigned', 'message'],
  updated_at: null,
};

const PREVIEW_CHARS = 120;

function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > PREVIEW_CHARS ? `${t.slice(0, PREVIEW_CHARS - 1)}…` : t;
}

/** The visitor's latest line, or where they are, for a chat's alert. */
function chatBody(c: Chat): string {
  const m = c.last_message;
  if (m && m.author === 'visitor') return `${c.visitor.name}: ${preview(m.body)}`;
  return c.page?.title ? `${c.visitor.name} on “${preview(c.page.title)}”` : c.visitor.name;
}

/**
 * alertsFor is what a frame from the console socket calls for, given the
 * state before it. since is the server time of the connection's welcome
 * (ms): messages written before it are history the socket catches up on,
 * not news.
 *
 * - a new ticket: a chat frame whose chat is waiting and was not before
 *   (new, or handed back);
 * - assigned to me: a chat frame whose chat is now active with me and was
 *   not, unless I took it myself (its last routing step is "taken");
 * - a message: a visitor's message in an active chat of mine, newer than
 *   anything this console held and than the assignment and the welcome.
 *
 * The welcome itself calls for nothing: what is there at log-in or after
 * a reconnect is counted in the title, not announced.
 */
export function alertsFor(before: LiveState, frame: ServerFrame, since: number | null): Alert[] {
  if (frame.type === 'chat') {
    const c = frame.chat;
    const prev = before.chats[c.id];
    if (c.state === 'waiting' && prev?.state !== 'waiting') {
      return [{ event: 'new_ticket', chatId: c.id, key: `ticket:${c.id}:${c.routing.length}`, title: 'New chat waiting', body: chatBody(c) }];
    }
    const mineNow = c.state === 'active' && c.operator?.id === before.me.id;
    const mineBefore = prev?.state === 'active' && prev.operator?.id === before.me.id;
    const tookIt = c.routing[c.routing.length - 1]?.kind === 'taken';
    if (mineNow && !mineBefore && !tookIt) {
      return [{ event: 'assigned', chatId: c.id, key: `assigned:${c.id}:${c.routing.length}`, title: 'Chat assigned to you', body: chatBody(c) }];
    }
    return [];
  }
  if (frame.type === 'message') {
    const m = frame.message;
    const c = before.chats[m.chat_id];
    if (m.author !== 'visitor' || !c || c.state !== 'active' || c.operator?.id !== before.me.id) return [];
    if (m.seq <= highestSeq(before, m.chat_id) || m.seq <= (before.seen[m.chat_id] ?? 0)) return [];
    const at = Date.parse(m.created_at);
    if (since !== null && at <= since) return [];
    if (c.assigned_at && at <= Date.parse(c.assigned_at)) return [];
    return [
      { event: 'message', chatId: c.id, key: `message:${c.id}:${m.seq}`, title: `New message from ${c.visitor.name}`, body: preview(m.body) },
    ];
  }
  return [];
}

/** What the operator is doing when an alert comes. */
export interface Situation {
  prefs: Preferences;
  /** the chat open in the Chats view, if any */
  openChatId: number | null;
  /** the console's tab is visible */
  visible: boolean;
  /** Notification.permission, or 'unsupported' */
  permission: NotificationPermission | 'unsupported';
}

export interface Delivery {
  sound: boolean;
  notification: boolean;
}

const NOTHING: Delivery = { sound: false, notification: false };

/**
 * deliveryOf says how an alert reaches the operator: nothing unless they
 * are "Online" (nothing while "Away"), nothing for an event they turned
 * off, nothing for a message in the chat they are looking at (open, in a
 * visible tab); then a sound if "Sound" is on, and a browser notification
 * if "Browser notifications" is on and the browser allows them.
 */
export function deliveryOf(alert: Alert, me: LiveState['me'], at: Situation): Delivery {
  if (me.status !== 'Online') return NOTHING;
  if (!at.prefs.events.includes(alert.event)) return NOTHING;
  if (alert.event === 'message' && at.visible && at.openChatId === alert.chatId) return NOTHING;
  return { sound: at.prefs.sound, notification: at.prefs.browser_notifications && at.permission === 'granted' };
}

/**
 * titleCount is the number in the tab title, and the Chats badge's rule:
 * tickets waiting plus visitors' messages I have not read in my chats.
 */
export function titleCount(s: LiveState): number {
  // tickets of visitors who left the site wait apart and do not count
  const tickets = waitingChats(s).filter((c) => c.visitor_present).length;
  return tickets + myChats(s).reduce((n, c) => n + unreadCount(s, c.id), 0);
}

export const TITLE = 'Output Desk';

/** The tab title: "(3) Output Desk", or "Output Desk" with nothing to count or the count turned off. */
export function titleText(count: number, prefs: Preferences): string {
  return prefs.title_count && count > 0 ? `(${count}) ${TITLE}` : TITLE;
}
