// The console's live state and the pure reducer that applies socket frames
// and REST answers to it. Nothing here does I/O or reads the clock: the hook
// in useLive.ts feeds it, views read it.
import type { SocketStatus } from '../api/socket';
import type { Chat, Message, Note, Operator, Rating, ServerFrame, SettingsWhat, VisitorRow } from '../api/types';
import { mergeMessages } from './messages';

/** A message typed in this console and not yet seen back from the server. */
export interface OutgoingMessage {
  chat_id: number;
  client_id: string;
  ref: string;
  body: string;
  created_at: number;
  error: string | null;
}

export interface LiveState {
  me: Operator;
  operators: Record<number, Operator>;
  chats: Record<number, Chat>;
  /** chat id → messages held, in seq order, each seq once */
  messages: Record<number, Message[]>;
  outbox: OutgoingMessage[];
  /** chat id → its private notes, oldest first (loaded when the chat is
   * opened, then live) */
  notes: Record<number, Note[]>;
  /** chat id → the visitor's rating, heard live or read with the chat */
  ratings: Record<number, Rating>;
  /** counts offline_message frames: "Offline messages" reads its list again */
  offlineChanged: number;
  /** chat id → how far this operator has read it: kept on the server, the
   * same on every console of theirs and after a new log-in */
  seen: Record<number, number>;
  /** chat id → the visitor is typing (since receivedAt; with their draft
   * under "Message preview") */
  typing: Record<number, VisitorTyping>;
  /** ended chats of mine the operator has closed from the list */
  closed: Record<number, true>;
  /** chats whose visitor left and came back while this console watched */
  returned: Record<number, true>;
  visitors: Map<number, VisitorRow>;
  visitorsReady: boolean;
  socket: SocketStatus;
  /** server clock − local clock, in ms */
  clockOffset: number;
  /** the last error the socket reported that is not tied to a message */
  notice: string | null;
  /** how many settings.changed frames came for each kind: views that show
   * the settings or rules read them again when their count moves */
  changed: Record<SettingsWhat, number>;
}

export interface VisitorTyping {
  since: number;
  draft: string;
}

export type LiveAction =
  | { type: 'frame'; frame: ServerFrame; receivedAt: number }
  | { type: 'chat'; chat: Chat; receivedAt: number }
  | { type: 'messages'; chatId: number; messages: Message[] }
  | { type: 'notes'; chatId: number; notes: Note[] }
  | { type: 'operator'; operator: Operator }
  | { type: 'outbox.add'; item: OutgoingMessage }
  | { type: 'outbox.remove'; clientId: string }
  | { type: 'seen'; chatId: number; seq: number }
  | { type: 'close'; chatId: number }
  | { type: 'socket'; status: SocketStatus }
  | { type: 'visitors.clear' }
  | { type: 'notice'; text: string | null };

export function initLive(me: Operator): LiveState {
  return {
    me,
    operators: { [me.id]: me },
    chats: {},
    messages: {},
    outbox: [],
    notes: {},
    ratings: {},
    offlineChanged: 0,
    seen: {},
    typing: {},
    closed: {},
    returned: {},
    visitors: new Map(),
    visitorsReady: false,
    socket: 'connecting',
    clockOffset: 0,
    notice: null,
    changed: { settings: 0, action_rules: 0, invitation_rules: 0, canned_replies: 0, preferences: 0 },
  };
}

export function liveReducer(s: LiveState, a: LiveAction): LiveState {
  switch (a.type) {
    case 'frame':
      return applyFrame(s, a.frame, a.receivedAt);
    case 'chat':
      return applyChat(s, a.chat, a.receivedAt);
    case 'messages':
      return applyMessages(s, a.chatId, a.messages);
    case 'notes':
      return applyNotes(s, a.chatId, a.notes);
    case 'operator':
      return applyOperator(s, a.operator);
    case 'outbox.add':
      return { ...s, outbox: [...s.outbox, a.item] };
    case 'outbox.remove':
      return { ...s, outbox: s.outbox.filter((o) => o.client_id !== a.clientId) };
    case 'seen':
      return applySeen(s, a.chatId, a.seq);
    case 'close':
      return { ...s, closed: { ...s.closed, [a.chatId]: true } };
    case 'socket':
      return { ...s, socket: a.status };
    case 'visitors.clear':
      if (s.visitors.size === 0 && !s.visitorsReady) return s;
      return { ...s, visitors: new Map(), visitorsReady: false };
    case 'notice':
      return { ...s, notice: a.text };
  }
}

function offsetFrom(serverTime: string | undefined, receivedAt: number, fallback: number): number {
  if (!serverTime) return fallback;
  const t = Date.parse(serverTime);
  return Number.isNaN(t) ? fallback : t - receivedAt;
}

function applyFrame(s: LiveState, f: ServerFrame, receivedAt: number): LiveState {
  switch (f.type) {
    case 'welcome': {
      const next = applyWelcome(s, f.operator, f.operators ?? [], f.chats ?? [], offsetFrom(f.server_time, receivedAt, s.clockOffset));
      let seen = next.seen;
      for (const [id, seq] of Object.entries(f.read ?? {})) seen = withSeen(seen, Number(id), seq);
      return seen === next.seen ? next : { ...next, seen };
    }
    case 'read':
      return applySeen(s, f.chat_id, f.seq);
    case 'note':
      return applyNotes(s, f.note.chat_id, [f.note]);
    case 'rating':
      return { ...s, ratings: { ...s.ratings, [f.chat_id]: f.rating } };
    case 'offline_message':
      return { ...s, offlineChanged: s.offlineChanged + 1 };
    case 'typing': {
      const typing = { ...s.typing };
      if (f.active) typing[f.chat_id] = { since: receivedAt, draft: f.draft ?? '' };
      else if (typing[f.chat_id]) delete typing[f.chat_id];
      else return s;
      return { ...s, typing };
    }
    case 'chat':
      return applyChat(s, f.chat, receivedAt);
    case 'message':
      return applyMessages(s, f.message.chat_id, [f.message]);
    case 'operator':
      return applyOperator(s, f.operator);
    case 'visitors': {
      const visitors = f.reset ? new Map<number, VisitorRow>() : new Map(s.visitors);
      for (const id of f.remove ?? []) visitors.delete(id);
      for (const row of f.upsert ?? []) visitors.set(row.id, row);
      return { ...s, visitors, visitorsReady: true, clockOffset: offsetFrom(f.server_time, receivedAt, s.clockOffset) };
    }
    case 'settings.changed':
      return { ...s, changed: { ...s.changed, [f.what]: (s.changed[f.what] ?? 0) + 1 } };
    case 'ack':
      // chat.watch answers how far this operator has read the chat
      if (f.chat_id !== undefined && f.read_seq !== undefined) return applySeen(s, f.chat_id, f.read_seq);
      return s;
    case 'error': {
      const failed = f.ref ? s.outbox.find((o) => o.ref === f.ref) : undefined;
      if (failed) {
        return {
          ...s,
          outbox: s.outbox.map((o) => (o === failed ? { ...o, error: f.message } : o)),
        };
      }
      return { ...s, notice: f.message };
    }
  }
}

function applyWelcome(s: LiveState, me: Operator, operators: Operator[], chats: Chat[], clockOffset: number): LiveState {
  const byId: Record<number, Operator> = {};
  for (const o of operators) byId[o.id] = o;
  byId[me.id] = me;
  // The welcome lists every waiting chat and every active chat of mine. Keep
  // ended chats still on screen; anything else not listed has moved on.
  const next: Record<number, Chat> = {};
  for (const c of Object.values(s.chats)) if (c.state === 'ended') next[c.id] = c;
  for (const c of chats) next[c.id] = c;
  return { ...s, me, operators: byId, chats: next, clockOffset };
}

function applyChat(s: LiveState, chat: Chat, receivedAt: number): LiveState {
  const prev = s.chats[chat.id];
  let returned = s.returned;
  if (prev && !prev.visitor_present && chat.visitor_present && chat.state !== 'ended') {
    returned = { ...returned, [chat.id]: true };
  } else if (!chat.visitor_present && returned[chat.id]) {
    returned = { ...returned };
    delete returned[chat.id];
  }
  return {
    ...s,
    chats: { ...s.chats, [chat.id]: chat },
    returned,
    clockOffset: offsetFrom(chat.server_time, receivedAt, s.clockOffset),
  };
}

/** Notes are kept by id, oldest first, each once. */
function applyNotes(s: LiveState, chatId: number, incoming: Note[]): LiveState {
  const byId = new Map((s.notes[chatId] ?? []).map((n) => [n.id, n]));
  for (const n of incoming) byId.set(n.id, n);
  const notes = [...byId.values()].sort((a, b) => a.id - b.id);
  return { ...s, notes: { ...s.notes, [chatId]: notes } };
}

/** A read position only moves up. */
function withSeen(seen: Record<number, number>, chatId: number, seq: number): Record<number, number> {
  if ((seen[chatId] ?? 0) >= seq) return seen;
  return { ...seen, [chatId]: seq };
}

function applySeen(s: LiveState, chatId: number, seq: number): LiveState {
  const seen = withSeen(s.seen, chatId, seq);
  return seen === s.seen ? s : { ...s, seen };
}

function applyMessages(s: LiveState, chatId: number, incoming: Message[]): LiveState {
  const held = s.messages[chatId] ?? [];
  const merged = mergeMessages(held, incoming);
  if (merged === held) return s;
  // The visitor's message ends their typing.
  if (s.typing[chatId] && incoming.some((m) => m.author === 'visitor')) {
    const typing = { ...s.typing };
    delete typing[chatId];
    s = { ...s, typing };
  }
  // A message stored from this console's outbox replaces its pending copy.
  const ids = new Set(incoming.map((m) => m.client_id).filter((id): id is string => !!id));
  const outbox = ids.size ? s.outbox.filter((o) => !ids.has(o.client_id)) : s.outbox;
  return { ...s, messages: { ...s.messages, [chatId]: merged }, outbox };
}

function applyOperator(s: LiveState, op: Operator): LiveState {
  return {
    ...s,
    operators: { ...s.operators, [op.id]: op },
    me: op.id === s.me.id ? op : s.me,
  };
}

// ---- selectors ----

export function isMine(s: LiveState, c: Chat): boolean {
  return c.operator?.id === s.me.id;
}

export function waitingChats(s: LiveState): Chat[] {
  return Object.values(s.chats)
    .filter((c) => c.state === 'waiting')
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

/** Active chats assigned to me, and my ended ones not yet closed. */
export function myChats(s: LiveState): Chat[] {
  return Object.values(s.chats)
    .filter((c) => isMine(s, c) && (c.state === 'active' || (c.state === 'ended' && !s.closed[c.id])))
    .sort((a, b) => (a.assigned_at ?? a.created_at).localeCompare(b.assigned_at ?? b.created_at) || a.id - b.id);
}

export function highestSeq(s: LiveState, chatId: number): number {
  const list = s.messages[chatId];
  return list && list.length ? list[list.length - 1].seq : 0;
}

/** How long a typing frame shows without another (docs/protocol.md). */
export const TYPING_SHOWN_MS = 6000;

/** The visitor's typing in a chat, if a frame said so in the last 6 s. */
export function visitorTyping(s: LiveState, chatId: number, now: number): VisitorTyping | null {
  const t = s.typing[chatId];
  return t && now - t.since < TYPING_SHOWN_MS ? t : null;
}

export function unreadCount(s: LiveState, chatId: number): number {
  const seen = s.seen[chatId] ?? 0;
  let n = 0;
  for (const m of s.messages[chatId] ?? []) if (m.author === 'visitor' && m.seq > seen) n++;
  return n;
}
