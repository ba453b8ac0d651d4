// Every REST endpoint the console uses, typed. See docs/protocol.md, "REST API".
import { request } from './http';
import type {
  ActionRule,
  ActionRuleInput,
  CannedReply,
  CannedReplyInput,
  Chat,
  Invitation,
  InvitationRule,
  InvitationRuleInput,
  Message,
  Note,
  OfflineMessage,
  Operator,
  OperatorStatus,
  PageView,
  Preferences,
  PreferencesPatch,
  Report,
  RoutingTest,
  Session,
  Settings,
  VisitorRow,
} from './types';

const noRedirect = { noSessionRedirect: true };

// ---- setup and session ----

export const getSetup = () => request<{ needs_admin: boolean }>('GET', '/api/setup', undefined, noRedirect);

export const createAdmin = (body: { name: string; email: string; password: string }) =>
  request<Session>('POST', '/api/setup/admin', body, noRedirect);

export const getSession = () => request<Session>('GET', '/api/session', undefined, noRedirect);

export const logIn = (body: { email: string; password: string }) =>
  request<Session>('POST', '/api/session', body, noRedirect);

export const logOut = () => request<void>('DELETE', '/api/session', undefined, noRedirect);

// ---- operators ----

export interface OperatorInput {
  name: string;
  email: string;
  password?: string;
  role: 'admin' | 'operator';
  priority_level: number;
  chat_limit: number;
}

export const listOperators = () => request<{ operators: Operator[] }>('GET', '/api/operators');

export const createOperator = (body: OperatorInput) => request<Operator>('POST', '/api/operators', body);

export const updateOperator = (id: number, body: Partial<OperatorInput>) =>
  request<Operator>('PATCH', `/api/operators/${id}`, body);

export const setMyStatus = (status: OperatorStatus) => request<Operator>('PUT', '/api/me/status', { status });

export const getPreferences = () => request<Preferences>('GET', '/api/me/preferences');

export const changePreferences = (patch: PreferencesPatch) => request<Preferences>('PATCH', '/api/me/preferences', patch);

// ---- settings ----

export const getSettings = () => request<Settings>('GET', '/api/settings');

export const patchSettings = (body: Partial<Omit<Settings, 'site_key'>>) =>
  request<Settings>('PATCH', '/api/settings', body);

export const getInstall = () => request<{ snippet: string; site_key: string }>('GET', '/api/install');

// ---- action rules ----

export const listActionRules = () => request<{ rules: ActionRule[] }>('GET', '/api/action-rules');

export const createActionRule = (body: ActionRuleInput) => request<ActionRule>('POST', '/api/action-rules', body);

export const updateActionRule = (id: number, body: ActionRuleInput) =>
  request<ActionRule>('PUT', `/api/action-rules/${id}`, body);

export const deleteActionRule = (id: number) => request<void>('DELETE', `/api/action-rules/${id}`);

export const moveActionRule = (id: number, direction: 'up' | 'down') =>
  request<{ rules: ActionRule[] }>('POST', `/api/action-rules/${id}/move`, { direction });

export const testActionRules = (body: { url: string; title: string; referrer: string }) =>
  request<RoutingTest>('POST', '/api/action-rules/test', body);

// ---- invitation rules ----

export const listInvitationRules = () => request<{ rules: InvitationRule[] }>('GET', '/api/invitation-rules');

export const createInvitationRule = (body: InvitationRuleInput) =>
  request<InvitationRule>('POST', '/api/invitation-rules', body);

export const updateInvitationRule = (id: number, body: InvitationRuleInput) =>
  request<InvitationRule>('PUT', `/api/invitation-rules/${id}`, body);

export const deleteInvitationRule = (id: number) => request<void>('DELETE', `/api/invitation-rules/${id}`);

// ---- canned replies ----

export const listCannedReplies = () => request<{ replies: CannedReply[] }>('GET', '/api/canned-replies');

export const createCannedReply = (body: CannedReplyInput) => request<CannedReply>('POST', '/api/canned-replies', body);

export const updateCannedReply = (id: number, body: CannedReplyInput) =>
  request<CannedReply>('PUT', `/api/canned-replies/${id}`, body);

export const deleteCannedReply = (id: number) => request<void>('DELETE', `/api/canned-replies/${id}`);

// ---- chats ----

export interface ChatFilter {
  operator_id?: number;
  visitor_id?: number;
  q?: string;
  from?: string;
  to?: string;
  limit?: number;
  before_id?: number;
  ended?: 'visitor' | 'operator' | 'inactivity';
  missed?: boolean;
  min_wait_seconds?: number;
  min_first_response_seconds?: number;
  min_duration_seconds?: number;
  rating?: 'good' | 'bad';
  tz?: string;
}

function endedChatsQuery(filter: ChatFilter): string {
  const params = new URLSearchParams({ state: 'ended' });
  for (const [k, v] of Object.entries(filter)) {
    if (v !== undefined && v !== '' && v !== false) params.set(k, String(v));
  }
  return params.toString();
}

export function listEndedChats(filter: ChatFilter) {
  return request<{ chats: Chat[] }>('GET', `/api/chats?${endedChatsQuery(filter)}`);
}

/** The address of History's CSV: every chat the filter matches, not only the pages loaded. */
export function endedChatsCsvUrl(filter: ChatFilter): string {
  return `/api/chats.csv?${endedChatsQuery({ ...filter, limit: undefined, before_id: undefined })}`;
}

/** The browser's IANA time zone: History's dates and Reports' days are the operator's days. */
export function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function getReport(from: string, to: string) {
  const params = new URLSearchParams({ tz: timeZone() });
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  return request<Report>('GET', `/api/reports?${params.toString()}`);
}

export const getChat = (id: number) =>
  request<{ chat: Chat; messages: Message[]; notes: Note[] }>('GET', `/api/chats/${id}`);

export const listOfflineMessages = () => request<{ offline_messages: OfflineMessage[] }>('GET', '/api/offline-messages');

export const markHandled = (id: number) => request<OfflineMessage>('POST', `/api/offline-messages/${id}/handled`, {});

export const getNotes = (id: number) => request<{ notes: Note[] }>('GET', `/api/chats/${id}/notes`);

export const addNote = (id: number, body: string) => request<{ note: Note }>('POST', `/api/chats/${id}/notes`, { body });

export const takeChat = (id: number) => request<Chat>('POST', `/api/chats/${id}/take`, {});

export const transferChat = (id: number, operatorId: number) =>
  request<Chat>('POST', `/api/chats/${id}/transfer`, { operator_id: operatorId });

export const endChat = (id: number) => request<Chat>('POST', `/api/chats/${id}/end`, {});

// ---- visitors ----

export const getVisitorPages = (id: number) =>
  request<{ visitor: VisitorRow | null; pages: PageView[] }>('GET', `/api/visitors/${id}/pages`);

export const inviteVisitor = (id: number) => request<Invitation>('POST', `/api/visitors/${id}/invite`, {});
