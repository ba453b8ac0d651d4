// Wires the console socket to the live reducer and hands views the state and
// the few actions that go over the socket.
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import { ConsoleSocket } from '../api/socket';
import type { Chat, Message, Note, Operator, ServerFrame } from '../api/types';
import { newClientId } from '../lib/ids';
import { highestSeq, initLive, isMine, liveReducer, type LiveAction, type LiveState } from './live';

export interface LiveActions {
  sendMessage(chatId: number, body: string): void;
  /** Drops a message the server refused from the outbox. */
  discardMessage(clientId: string): void;
  /** Applies a chat returned by a REST call (take, transfer, end). */
  applyChat(chat: Chat): void;
  applyMessages(chatId: number, messages: Message[]): void;
  applyNotes(chatId: number, notes: Note[]): void;
  applyOperator(op: Operator): void;
  /** What is on screen is read: kept on the server (chat.read). */
  markSeen(chatId: number, seq: number): void;
  /** The operator types in a chat of theirs, or stopped. */
  typing(chatId: number, active: boolean): void;
  closeChat(chatId: number): void;
  dismissNotice(): void;
}

export interface Live {
  state: LiveState;
  actions: LiveActions;
}

export const LiveContext = createContext<Live | null>(null);

export function useLiveContext(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLiveContext outside LiveContext');
  return live;
}

/** Which chats the console wants messages for: mine (active) and the open one. */
function wanted(s: LiveState, openChatId: number | null): number[] {
  const ids = Object.values(s.chats)
    .filter((c) => c.state === 'active' && isMine(s, c))
    .map((c) => c.id);
  if (openChatId !== null && !ids.includes(openChatId)) ids.push(openChatId);
  return ids;
}

export function useLive(
  me: Operator,
  opts: {
    visitorsOpen: boolean;
    openChatId: number | null;
    onUnauthorized: () => void;
    onFatal: (code: number) => void;
    /** hears each frame with the state before it (notifications) */
    onFrame?: (frame: ServerFrame, before: LiveState) => void;
  },
): Live {
  const [state, dispatch] = useReducer<LiveState, LiveAction, Operator>(liveReducer, me, initLive);
  const stateRef = useRef(state);
  stateRef.current = state;
  const optsRef = useRef(opts);
  optsRef.current = opts;
  /** chats watched on the current connection (named in hello or chat.watch) */
  const watching = useRef(new Set<number>());
  /** whether the current connection streams the Visitor List */
  const subscribed = useRef(false);

  const socket = useMemo(
    () =>
      new ConsoleSocket({
        hello: () => {
          const s = stateRef.current;
          const watch: Record<string, number> = {};
          watching.current = new Set();
          for (const id of wanted(s, optsRef.current.openChatId)) {
            watch[String(id)] = highestSeq(s, id);
            watching.current.add(id);
          }
          subscribed.current = optsRef.current.visitorsOpen;
          return { watch, visitors: subscribed.current };
        },
        onFrame: (frame) => {
          optsRef.current.onFrame?.(frame, stateRef.current);
          dispatch({ type: 'frame', frame, receivedAt: Date.now() });
        },
        onStatus: (status) => dispatch({ type: 'socket', status }),
        onUnauthorized: () => optsRef.current.onUnauthorized(),
        onFatal: (code) => optsRef.current.onFatal(code),
      }),
    [],
  );

  useEffect(() => {
    socket.start();
    return () => socket.stop();
  }, [socket]);

  // Ask for the messages of every chat we want and do not watch yet on this
  // connection: a ticket opened for reading, a chat just assigned to me.
  const connected = state.socket === 'open';
  useEffect(() => {
    if (!connected) return;
    for (const id of wanted(state, opts.openChatId)) {
      if (watching.current.has(id)) continue;
      watching.current.add(id);
      socket.send({ type: 'chat.watch', chat_id: id, last_seq: highestSeq(state, id) });
    }
  }, [connected, state.chats, opts.openChatId, socket]);

  // Read positions marked while the socket was down reach the server once it
  // is back; the others it has already.
  const unsentReads = useRef(new Map<number, number>());
  useEffect(() => {
    if (!connected) return;
    for (const [chatId, seq] of unsentReads.current) socket.send({ type: 'chat.read', chat_id: chatId, seq });
    unsentReads.current.clear();
  }, [connected, socket]);

  // Stop reading a chat that is not mine once it is no longer open.
  const prevOpen = useRef<number | null>(null);
  useEffect(() => {
    const prev = prevOpen.current;
    prevOpen.current = opts.openChatId;
    if (prev === null || prev === opts.openChatId) return;
    const c = stateRef.current.chats[prev];
    if (c && c.state === 'active' && isMine(stateRef.current, c)) return;
    if (watching.current.delete(prev)) socket.send({ type: 'chat.unwatch', chat_id: prev });
  }, [opts.openChatId, socket]);

  // The Visitor List is streamed only while its view is open. A hello says
  // it for a new connection; a change on a live one is sent here.
  useEffect(() => {
    if (!opts.visitorsOpen) dispatch({ type: 'visitors.clear' });
    if (!connected || opts.visitorsOpen === subscribed.current) return;
    subscribed.current = opts.visitorsOpen;
    socket.send({ type: opts.visitorsOpen ? 'visitors.subscribe' : 'visitors.unsubscribe' });
  }, [connected, opts.visitorsOpen, socket]);

  const actions = useMemo<LiveActions>(
    () => ({
      sendMessage(chatId, body) {
        const clientId = newClientId();
        const ref = socket.sendMessage(chatId, clientId, body);
        dispatch({
          type: 'outbox.add',
          item: { chat_id: chatId, client_id: clientId, ref, body, created_at: Date.now(), error: null },
        });
      },
      discardMessage(clientId) {
        socket.forget(clientId);
        dispatch({ type: 'outbox.remove', clientId });
      },
      applyChat: (chat) => dispatch({ type: 'chat', chat, receivedAt: Date.now() }),
      applyMessages: (chatId, messages) => dispatch({ type: 'messages', chatId, messages }),
      applyNotes: (chatId, notes) => dispatch({ type: 'notes', chatId, notes }),
      applyOperator: (operator) => dispatch({ type: 'operator', operator }),
      markSeen(chatId, seq) {
        if ((stateRef.current.seen[chatId] ?? 0) >= seq) return;
        dispatch({ type: 'seen', chatId, seq });
        if (socket.isOpen) socket.send({ type: 'chat.read', chat_id: chatId, seq });
        else unsentReads.current.set(chatId, seq); // sent on reconnecting
      },
      typing: (chatId, active) => socket.send({ type: 'typing', chat_id: chatId, active }),
      closeChat: (chatId) => dispatch({ type: 'close', chatId }),
      dismissNotice: () => dispatch({ type: 'notice', text: null }),
    }),
    [socket],
  );

  return useMemo(() => ({ state, actions }), [state, actions]);
}
