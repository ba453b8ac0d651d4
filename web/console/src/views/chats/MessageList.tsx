// A chat's transcript. Bodies and names are text nodes only: nothing a
// visitor sends is ever parsed as HTML.
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Message } from '../../api/types';
import { linkify } from '../../lib/links';
import { formatTime } from '../../lib/time';
import type { OutgoingMessage } from '../../state/live';

interface Props {
  messages: Message[];
  outbox?: OutgoingMessage[];
  onDiscard?: (clientId: string) => void;
  visitorName?: string;
}

export function MessageList({ messages, outbox = [], onDiscard, visitorName = 'Visitor' }: Props) {
  const ref = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // Follow new lines while the operator is at the bottom; leave them alone
  // while they scroll back through the history.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, outbox.length]);

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
      {messages.map((m) => (
        <MessageItem key={m.seq} m={m} visitorName={visitorName} />
      ))}
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
      <div class="msg-bubble">{linkify(m.body)}</div>
    </li>
  );
}
