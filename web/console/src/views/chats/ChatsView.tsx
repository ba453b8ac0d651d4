// "Chats": waiting tickets and my chats on the left, the open chat on the right.
import { myChats } from '../../state/live';
import { useLiveContext } from '../../state/useLive';
import { ChatList } from './ChatList';
import { ChatPane } from './ChatPane';
import { leftTickets, presentTickets } from './tickets';

export function ChatsView({ openChatId }: { openChatId: number | null }) {
  const { state } = useLiveContext();
  const tickets = presentTickets(state);
  const left = leftTickets(state);
  const mine = myChats(state);

  return (
    <div class="chats-view">
      <h1 class="sr-only">Chats</h1>
      <aside class="chat-lists">
        <ChatList
          title="Tickets"
          testId="tickets"
          chats={tickets}
          openChatId={openChatId}
          empty="No chat is waiting."
          showWaitTime
        />
        {left.length > 0 && (
          <ChatList
            title="Left the site"
            testId="left-tickets"
            chats={left}
            openChatId={openChatId}
            empty=""
            showCountdown
          />
        )}
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
