// One list of chats (tickets, or mine) with visitor, page, last message and
// unread count. Everything from the visitor is rendered as text.
import type { Chat, Message } from '../../api/types';
import { formatDuration, since, until } from '../../lib/time';
import { navigate, routePath } from '../../lib/route';
import { useNow } from '../../lib/useNow';
import { unreadCount } from '../../state/live';
import { useLiveContext } from '../../state/useLive';

interface Props {
  title: string;
  testId: string;
  chats: Chat[];
  openChatId: number | null;
  empty: string;
  showWaitTime?: boolean;
  showCountdown?: boolean; // tickets whose visitor left: the time before they end
}

export function ChatList({ title, testId, chats, openChatId, empty, showWaitTime, showCountdown }: Props) {
  const headingId = `${testId}-heading`;
  return (
    <section class="chat-list">
      <h2 id={headingId}>
        {title} <span class="count">{chats.length}</span>
      </h2>
      <ul data-testid={testId} aria-labelledby={headingId}>
        {chats.length === 0 && <li class="empty muted">{empty}</li>}
        {chats.map((c) => (
          <ChatItem key={c.id} chat={c} open={c.id === openChatId} showWaitTime={!!showWaitTime} showCountdown={!!showCountdown} />
        ))}
      </ul>
    </section>
  );
}

/** The newest line: from the messages held, or the chat's own last_message. */
function lastLine(c: Chat, held: Message[] | undefined): string {
  const newest = held && held.length ? held[held.length - 1] : null;
  const m = newest && newest.seq >= (c.last_message?.seq ?? 0) ? newest : c.last_message;
  if (!m) return '';
  if (m.author === 'operator') return `${m.operator?.name ?? 'Operator'}: ${m.body}`;
  if (m.author === 'system') return m.body;
  return m.body;
}

function ChatItem(p: { chat: Chat; open: boolean; showWaitTime: boolean; showCountdown: boolean }) {
  const { chat, open, showWaitTime, showCountdown } = p;
  const { state } = useLiveContext();
  const unread = unreadCount(state, chat.id);
  const href = routePath({ view: 'chats', chatId: chat.id });
  const page = chat.page;
  return (
    <li data-testid={`chat-item-${chat.id}`} class={open ? 'chat-item open' : 'chat-item'}>
      <a
        href={href}
        aria-current={open ? 'true' : undefined}
        onClick={(e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          navigate({ view: 'chats', chatId: chat.id });
        }}
      >
        <span class="chat-item-top">
          <span class="visitor-name">{chat.visitor.name}</span>
          {chat.state === 'ended' && <span class="tag tag-ended">Ended</span>}
          {!chat.visitor_present && chat.state !== 'ended' && <span class="tag tag-left">Left</span>}
          {showWaitTime && <WaitTime since={chat.created_at} />}
          {showCountdown && chat.ends_at && <LeftCountdown endsAt={chat.ends_at} />}
          {unread > 0 && (
            <span class="badge" title={`${unread} unread`} aria-label={`${unread} unread`}>
              {unread}
            </span>
          )}
        </span>
        {page && (
          <span class="chat-item-page" title={page.url}>
            {page.title || page.url}
          </span>
        )}
        <span class="chat-item-last">{lastLine(chat, state.messages[chat.id])}</span>
      </a>
    </li>
  );
}

function WaitTime({ since: at }: { since: string }) {
  const { state } = useLiveContext();
  const now = useNow(state.clockOffset);
  return <span class="wait-time muted">{formatDuration(since(at, now))}</span>;
}

function LeftCountdown({ endsAt }: { endsAt: string }) {
  const { state } = useLiveContext();
  const now = useNow(state.clockOffset);
  return <span class="wait-time muted countdown">ends in {formatDuration(until(endsAt, now))}</span>;
}
