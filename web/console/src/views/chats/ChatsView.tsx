// "Chats": waiting tickets and my chats on the left, the open chat on the right.
import { myChats, waitingChats } from '../../state/live';
import { useLiveContext } from '../../state/useLive';
import { ChatList } from './ChatList';
import { ChatPane } from './ChatPane';

export function ChatsView({ openChatId }: { openChatId: number | null }) {
  const { state } = useLiveContext();
  const tickets = waitingChats(state);
  const mine = myChats(state);

  return (
    <div class="chats-view">
      <aside class="chat-lists">
        <ChatList
          title="Tickets"
          testId="tickets"
          chats={tickets}
          openChatId={openChatId}
          empty="No chat is waiting."
          showWaitTime
        />
        <ChatList
          title="Assigned to you"
          testId="my-chats"
          chats={mine}
          openChatId={openChatId}
          empty="You have no active chat."
        />
      </aside>
      {openChatId === null ? (
        <section class="chat-pane chat-pane-empty" data-testid="chat-pane">
          <p class="muted">Select a ticket or one of your chats.</p>
        </section>
      ) : (
        <ChatPane key={openChatId} chatId={openChatId} />
      )}
    </div>
  );
}
