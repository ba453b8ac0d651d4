// The notices under a chat: how it ended, or that the visitor left (with
// the time left before it ends) or came back.
import type { Chat, Message, Rating } from '../../api/types';
import { formatDateTime, formatDuration, until } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useLiveContext } from '../../state/useLive';

export function endedByText(chat: Chat): string {
  switch (chat.ended_by) {
    case 'visitor':
      return 'Ended by the visitor';
    case 'operator': {
      // who clicked "Cancel" (an admin may end another operator's chat)
      const by = chat.ended_by_operator ?? chat.operator;
      return by ? `Ended by ${by.name}` : 'Ended by an operator';
    }
    case 'system':
      return 'Ended automatically';
    default:
      return 'Ended';
  }
}

/**
 * withoutEndLine drops an ended chat's closing system line ("Chat Ended", or
 * the inactivity text): EndedNotice says it, with who ended the chat, and
 * the chat should say it once.
 */
export function withoutEndLine(chat: Chat, messages: Message[]): Message[] {
  if (chat.state !== 'ended') return messages;
  const text = chat.end_text ?? 'Chat Ended';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.author === 'system' && m.body === text) return [...messages.slice(0, i), ...messages.slice(i + 1)];
  }
  return messages;
}

// rating: one heard live (a rating frame), else the chat's own.
export function EndedNotice({ chat, rating = chat.rating }: { chat: Chat; rating?: Rating | null }) {
  return (
    <div class="notice notice-ended" data-testid="chat-ended" role="status">
      <strong>{chat.end_text ?? 'Chat Ended'}</strong>
      <span>
        {endedByText(chat)}
        {chat.ended_at ? `, ${formatDateTime(chat.ended_at)}` : ''}
      </span>
      {rating && <RatingText rating={rating} />}
    </div>
  );
}

/** The visitor's rating, with their comment as text. */
export function RatingText({ rating }: { rating: Rating }) {
  return (
    <span class="rating" data-testid="chat-rating">
      {rating.value === 'good' ? 'Rated 👍 Good' : 'Rated 👎 Bad'}
      {rating.comment && <q>{rating.comment}</q>}
    </span>
  );
}

export function ChatNotices({ chat, returned }: { chat: Chat; returned: boolean }) {
  const { state } = useLiveContext();
  if (chat.state === 'ended') return <EndedNotice chat={chat} rating={state.ratings[chat.id] ?? chat.rating} />;
  if (!chat.visitor_present) return <LeftNotice chat={chat} />;
  if (returned) {
    return (
      <div class="notice notice-returned" data-testid="visitor-returned" role="status">
        Visitor returned to the site
      </div>
    );
  }
  return null;
}

function LeftNotice({ chat }: { chat: Chat }) {
  const { state } = useLiveContext();
  const now = useNow(state.clockOffset);
  const left = until(chat.ends_at, now);
  return (
    <div class="notice notice-left" data-testid="visitor-left" role="status">
      <strong>Visitor left the site</strong>
      {chat.ends_at && (
        <span>
          The chat ends in <span class="countdown">{formatDuration(left)}</span> unless they come back.
        </span>
      )}
    </div>
  );
}
