// A chat's transcript. Bodies and names are text nodes only: nothing a
// visitor sends is ever parsed as HTML.
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Message, Note } from '../../api/types';
import { linkify } from '../../lib/links';
import { formatTime } from '../../lib/time';
import type { OutgoingMessage } from '../../state/live';
import { FileView } from './FileAttach';

interface Props {
  messages: Message[];
  outbox?: OutgoingMessage[];
  onDiscard?: (clientId: string) => void;
  visitorName?: string;
  /** private notes, shown among the messages by time, marked as such */
  notes?: Note[];
}

export function MessageList({ messages, outbox = [], onDiscard, visitorName = 'Visitor', notes = [] }: Props) {
  const ref = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // Follow new lines while the operator is at the bottom; leave them alone
  // while they scroll back through the history.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, outbox.length, notes.length]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => {
      stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <ol class="messages" data-testid="messages" ref={ref} aria-label="Conversation">
      {messages.length === 0 && outbox.length === 0 && <li class="msg-empty muted">No messages yet.</li>}
      {withNotes(messages, notes).map((x) =>
        'seq' in x ? <MessageItem key={x.seq} m={x} visitorName={visitorName} /> : <NoteItem key={`n${x.id}`} n={x} />,
      )}
      {outbox.map((o) => (
        <li key={o.client_id} class={o.error ? 'msg msg-operator msg-failed' : 'msg msg-operator msg-pending'}>
          <div class="msg-bubble">{o.body}</div>
          <div class="msg-meta">
            {o.error ? (
              <>
                <span class="error">Not sent: {o.error}</span>{' '}
                {onDiscard && (
                  <button type="button" class="link" onClick={() => onDiscard(o.client_id)}>
                    Remove
                  </button>
                )}
              </>
            ) : (
              'Sending…'
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** Messages in seq order with each note placed after the lines before it. */
function withNotes(messages: Message[], notes: Note[]): (Message | Note)[] {
  if (notes.length === 0) return messages;
  const out: (Message | Note)[] = [];
  let i = 0;
  for (const m of messages) {
    while (i < notes.length && notes[i].created_at < m.created_at) out.push(notes[i++]);
    out.push(m);
  }
  return out.concat(notes.slice(i));
}

function NoteItem({ n }: { n: Note }) {
  return (
    <li class="msg msg-private" data-testid={`note-${n.id}`}>
      <div class="msg-meta">
        <span class="note-label">Private note</span> <span class="msg-author">{n.operator.name}</span>{' '}
        <time>{formatTime(n.created_at)}</time>
      </div>
      <div class="msg-bubble">{n.body}</div>
    </li>
  );
}

function MessageItem({ m, visitorName }: { m: Message; visitorName: string }) {
  if (m.author === 'system') {
    return (
      <li class="msg msg-system" data-testid={`message-${m.seq}`}>
        <span class="msg-note">{m.body}</span> <time class="muted">{formatTime(m.created_at)}</time>
      </li>
    );
  }
  const who = m.author === 'operator' ? (m.operator?.name ?? 'Operator') : visitorName;
  return (
    <li class={`msg msg-${m.author}`} data-testid={`message-${m.seq}`}>
      <div class="msg-meta">
        <span class="msg-author">{who}</span> <time>{formatTime(m.created_at)}</time>
      </div>
      <div class="msg-bubble">{m.file ? <FileView file={m.file} /> : linkify(m.body)}</div>
    </li>
  );
}
