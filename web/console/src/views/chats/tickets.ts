// Tickets split by whether their visitor is still on the site: a ticket
// whose visitor left waits apart ("Left the site") and does not count in
// the Chats badge or the tab title.
import type { Chat } from '../../api/types';
import { type LiveState, waitingChats } from '../../state/live';

export const presentTickets = (s: LiveState): Chat[] => waitingChats(s).filter((c) => c.visitor_present);
export const leftTickets = (s: LiveState): Chat[] => waitingChats(s).filter((c) => !c.visitor_present);
