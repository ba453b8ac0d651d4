// The open chat: who and where the visitor is, how the chat was routed, its
// messages, its notices, and what this operator can do with it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { endChat, getChat, getNotes, takeChat } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Chat } from '../../api/types';
import { navigate } from '../../lib/route';
import { highestSeq, isMine } from '../../state/live';
import { useLiveContext } from '../../state/useLive';
import { ChatNotices, withoutEndLine } from './ChatNotices';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { useFileSender } from './FileAttach';
import { NoteComposer } from './NoteComposer';
import { RoutingInfo } from './RoutingInfo';
import { TransferControl } from './TransferControl';
import { TypingNote } from './TypingNote';

export function ChatPane({ chatId }: { chatId: number }) {
  const { state, actions } = useLiveContext();
  const chat = state.chats[chatId];
  const messages = state.messages[chatId] ?? [];
  const [loadError, setLoadError] = useState('');
  const files = useFileSender(chatId);

  // A chat this console was not told about (a link, a reload after it was
  // taken or ended): ask the server for it once.
  useEffect(() => {
    if (chat) return;
    let live = true;
    getChat(chatId).then(
      (r) => {
        if (!live) return;
        actions.applyChat(r.chat);
        actions.applyMessages(chatId, r.messages ?? []);
      },
      (err) => live && setLoadError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [chatId, !chat]);

  // The chat's private notes: read once it is opened, then live (note frames).
  useEffect(() => {
    let live = true;
    getNotes(chatId).then(
      (r) => live && actions.applyNotes(chatId, r.notes),
      () => {}, // a chat that cannot be read says so above
    );
    return () => {
      live = false;
    };
  }, [chatId]);

  // What is on screen counts as seen (for unread counts).
  const top = highestSeq(state, chatId);
  useEffect(() => {
    if (top > 0) actions.markSeen(chatId, top);
  }, [chatId, top]);

  if (!chat) {
    return (
      <section class="chat-pane" data-testid="chat-pane">
        {loadError ? <p class="error" role="alert">{loadError}</p> : <p class="muted">Loading chat…</p>}
      </section>
    );
  }

  const outbox = state.outbox.filter((o) => o.chat_id === chatId);
  const mine = isMine(state, chat);
  const canWrite = chat.state === 'active' && mine;

  return (
    <section class="chat-pane" data-testid="chat-pane" aria-label={`Chat with ${chat.visitor.name}`} {...(canWrite ? files.drop : {})}>
      <ChatHeader chat={chat} />
      <RoutingInfo routing={chat.routing} />
      <MessageList
        messages={withoutEndLine(chat, messages)}
        outbox={outbox}
        onDiscard={actions.discardMessage}
        visitorName={chat.visitor.name}
        notes={state.notes[chatId]}
      />
      {chat.state !== 'ended' && <TypingNote chatId={chat.id} />}
      <ChatNotices chat={chat} returned={!!state.returned[chat.id]} />
      <ChatActions chat={chat} mine={mine} />
      {canWrite && (
        <Composer
          onSend={(body) => actions.sendMessage(chatId, body)}
          onTyping={(active) => actions.typing(chatId, active)}
          onFiles={files.send}
          disabled={state.socket !== 'open'}
        />
      )}
      {files.status}
      <NoteComposer chatId={chatId} />
    </section>
  );
}

function ChatHeader({ chat }: { chat: Chat }) {
  const page = chat.page;
  return (
    <header class="chat-head">
      <div class="chat-head-title">
        <h2>{chat.visitor.name}</h2>
        <span class={`tag tag-${chat.state}`}>{stateText(chat)}</span>
      </div>
      {chat.visitor.email && (
        <p class="visitor-email">
          <a href={`mailto:${chat.visitor.email}`} data-testid="visitor-email">
            {chat.visitor.email}
          </a>
        </p>
      )}
      {page && (
        <dl class="chat-head-page">
          <dt>Page</dt>
          <dd title={page.url}>
            {page.title && <span class="page-title">{page.title}</span>}
            <span class="page-url">{page.url}</span>
          </dd>
          {page.referrer && (
            <>
              <dt>Referrer</dt>
              <dd class="page-url">{page.referrer}</dd>
            </>
          )}
        </dl>
      )}
    </header>
  );
}

// "Cancel" ends the chat for both sides, so it asks first, inline, and sits
// at the far end of the actions, away from Transfer.
function EndControl({ busy, onEnd }: { busy: boolean; onEnd: () => void }) {
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);
  const ask = (on: boolean) => {
    answered.current = true;
    setAsking(on);
  };
  // Keep the keyboard focus on the control that replaced the one pressed.
  useEffect(() => {
    if (answered.current) (asking ? keep : cancel).current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <div class="end-control">
        <button type="button" class="danger" ref={cancel} disabled={busy} onClick={() => ask(true)}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div class="end-control end-confirm" role="group" aria-labelledby="end-confirm-q" data-testid="end-confirm">
      <span id="end-confirm-q">End this chat?</span>
      <button type="button" class="danger" disabled={busy} onClick={onEnd}>
        End chat
      </button>
      <button type="button" ref={keep} onClick={() => ask(false)}>
        Keep chatting
      </button>
    </div>
  );
}

function stateText(chat: Chat): string {
  if (chat.state === 'waiting') return 'Waiting';
  if (chat.state === 'ended') return 'Ended';
  return chat.operator ? `With ${chat.operator.name}` : 'Active';
}

function ChatActions({ chat, mine }: { chat: Chat; mine: boolean }) {
  const { state, actions } = useLiveContext();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const isAdmin = state.me.role === 'admin';

  async function run(fn: () => Promise<Chat>) {
    setBusy(true);
    setError('');
    try {
      actions.applyChat(await fn());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const canEnd = chat.state === 'waiting' || (chat.state === 'active' && (mine || isAdmin));
  const canTransfer = chat.state === 'active' && (mine || isAdmin);

  return (
    <div class="chat-actions">
      {chat.state === 'waiting' && (
        <button type="button" class="primary" disabled={busy} onClick={() => void run(() => takeChat(chat.id))}>
          Accept
        </button>
      )}
      {canTransfer && <TransferControl chat={chat} />}
      {canEnd && <EndControl busy={busy} onEnd={() => void run(() => endChat(chat.id))} />}
      {chat.state === 'active' && !mine && !isAdmin && (
        <span class="muted">This chat is with {chat.operator?.name ?? 'another operator'}.</span>
      )}
      {chat.state === 'ended' && mine && (
        <button
          type="button"
          onClick={() => {
            actions.closeChat(chat.id);
            navigate({ view: 'chats', chatId: null });
          }}
        >
          Close
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
