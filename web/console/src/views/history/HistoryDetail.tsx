// One ended chat from History: transcript, routing, and how it ended.
import { useEffect, useState } from 'preact/hooks';
import { getChat } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Chat, Message, Note } from '../../api/types';
import { formatDateTime } from '../../lib/time';
import { EndedNotice, withoutEndLine } from '../chats/ChatNotices';
import { MessageList } from '../chats/MessageList';
import { RoutingInfo } from '../chats/RoutingInfo';

export function HistoryDetail({ chatId, onClose }: { chatId: number; onClose: () => void }) {
  const [data, setData] = useState<{ chat: Chat; messages: Message[]; notes: Note[] } | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    getChat(chatId).then(
      (r) => live && setData({ chat: r.chat, messages: r.messages ?? [], notes: r.notes ?? [] }),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [chatId]);

  return (
    <section class="history-detail chat-pane" data-testid="history-detail" aria-label="Transcript">
      <header class="chat-head">
        <div class="chat-head-title">
          <h2>{data ? data.chat.visitor.name : 'Chat'}</h2>
          <button type="button" class="link" onClick={onClose}>
            Close
          </button>
        </div>
        {data && (
          <dl class="chat-head-page">
            <dt>Started</dt>
            <dd>
              {formatDateTime(data.chat.created_at)} by {data.chat.started_by === 'operator' ? 'invitation' : 'the visitor'}
            </dd>
            {data.chat.visitor.email && (
              <>
                <dt>Email</dt>
                <dd>
                  <a href={`mailto:${data.chat.visitor.email}`}>{data.chat.visitor.email}</a>
                </dd>
              </>
            )}
            <dt>Operator</dt>
            <dd>{data.chat.operator?.name ?? 'None'}</dd>
            {data.chat.page && (
              <>
                <dt>Page</dt>
                <dd class="page-url">{data.chat.page.url}</dd>
              </>
            )}
          </dl>
        )}
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && (
        <>
          {data.chat.state === 'ended' && <EndedNotice chat={data.chat} />}
          <RoutingInfo routing={data.chat.routing} />
          <MessageList messages={withoutEndLine(data.chat, data.messages)} visitorName={data.chat.visitor.name} notes={data.notes} />
        </>
      )}
    </section>
  );
}
