// The objects of docs/protocol.md, as the console receives and sends them.
// Members the protocol says may be unknown are typed `| null`.

export type Role = 'admin' | 'operator';
export type OperatorStatus = 'Online' | 'Away' | 'Offline';
export type ChatState = 'waiting' | 'active' | 'ended';
export type Author = 'visitor' | 'operator' | 'system';
export type ChatRuleMode = 'Manual' | 'Automatic';

export interface OperatorRef {
  id: number;
  name: string;
}

export interface Operator extends OperatorRef {
  email: string;
  role: Role;
  priority_level: number;
  chat_limit: number;
  status: OperatorStatus;
  active_chats: number;
}

export interface Page {
  url: string;
  title: string;
  referrer: string;
}

export interface Message {
  chat_id: number;
  seq: number;
  author: Author;
  operator: OperatorRef | null;
  body: string;
  client_id: string | null;
  created_at: string;
  /** the file the message sends; body is then its name */
  file: FileRef | null;
}

/** A file sent in a chat (docs/protocol.md, "Files"). */
export interface FileRef {
  id: number;
  name: string;
  type: string;
  size: number;
}

export interface RoutingEntry {
  at: string;
  kind: string;
  text: string;
  passed_over: string[];
}

export interface Chat {
  /** the visitor's "Rate this chat"; null until given */
  rating?: Rating | null;
  id: number;
  state: ChatState;
  /** email: only once the visitor gave one (pre-chat form, OutputDesk.identify) */
  visitor: OperatorRef & { email?: string };
  operator: OperatorRef | null;
  started_by: 'visitor' | 'operator';
  invitation_id: number | null;
  page: Page | null;
  created_at: string;
  assigned_at: string | null;
  last_seq: number;
  last_message: Message | null;
  routing: RoutingEntry[];
  visitor_present: boolean;
  visitor_left_at: string | null;
  ends_at: string | null;
  ended_at: string | null;
  ended_by: 'visitor' | 'operator' | 'system' | null;
  ended_by_operator?: OperatorRef | null; // who clicked "Cancel"
  end_reason: 'cancel' | 'inactivity' | 'left' | null;
  end_text: string | null;
  server_time?: string;
  // History (docs/protocol.md): who ended it and why, and its times
  ended_by_text?: string | null;
  first_assigned_at?: string | null;
  first_response_at?: string | null;
  wait_seconds?: number | null;
  first_response_seconds?: number | null;
  duration_seconds?: number | null;
}

export interface VisitorRow {
  id: number;
  name: string;
  page: Page | null;
  page_started_at: string;
  visit_started_at: string;
  pages_viewed: number;
  referrer: string | null;
  browser: string | null;
  os: string | null;
  status: string;
  chat_id: number | null;
  invitation_id: number | null;
  can_invite: boolean;
}

export interface PageView extends Page {
  started_at: string;
}

export interface Invitation {
  id: number;
  kind: 'manual' | 'automated';
  text: string;
  operator: OperatorRef | null;
  state: 'open' | 'accepted' | 'dismissed' | 'expired';
  created_at: string;
}

export interface Settings {
  chat_rule: ChatRuleMode;
  invitation_text: string;
  inactivity_timeout_seconds: number;
  left_timeout_seconds: number;
  allowed_origins: string[];
  message_preview: boolean;
  pre_chat: PreChat;
  notify_email: string;
  launcher_offset: number;
  // Settings > Appearance, "Make it ours" (WidgetLookForm)
  accent_color: string;
  launcher_position: 'right' | 'left';
  panel_title: string;
  greeting: string;
  show_operator_names: boolean;
  site_key: string;
  /** "Largest file", in bytes */
  max_file_bytes: number;
  /** "Allowed file types": MIME types */
  file_types: string[];
}

/** How the "Pre-chat form" asks for one field. */
export type FieldMode = 'off' | 'optional' | 'required';

export interface PreChat {
  name: FieldMode;
  email: FieldMode;
  question: FieldMode;
}

export type ConditionField = 'url' | 'title' | 'referrer';
export type UrlOp = 'equals' | 'contains' | 'starts_with' | 'wildcard';

export interface Condition {
  field: ConditionField;
  op: UrlOp;
  value: string;
}

export interface ActionRule {
  id: number;
  name: string;
  enabled: boolean;
  position: number;
  conditions: Condition[];
  target_operator_id: number;
}

export type ActionRuleInput = Omit<ActionRule, 'id' | 'position'>;

export interface InvitationRule {
  id: number;
  name: string;
  enabled: boolean;
  url: { op: UrlOp; value: string } | null;
  min_time_on_page_seconds: number;
  min_pages_viewed: number;
  message: string;
}

export type InvitationRuleInput = Omit<InvitationRule, 'id'>;

export interface RoutingTest {
  operator: OperatorRef | null;
  kind: string;
  text: string;
  passed_over: string[];
}

export interface Session {
  operator: Operator;
  csrf_token: string;
  expires_at: string;
}

/** One of "Offline messages" ("Leave a message"). */
export interface OfflineMessage {
  id: number;
  visitor_id: number;
  name: string;
  email: string;
  message: string;
  page: { url: string; title: string };
  created_at: string;
  handled_at: string | null;
  handled_by: { id: number; name: string } | null;
}

/** The visitor's "Rate this chat". */
export interface Rating {
  value: 'good' | 'bad';
  comment: string;
  rated_at: string;
}

/** A private note on a chat: operators only, never the visitor. */
export interface Note {
  id: number;
  chat_id: number;
  operator: { id: number; name: string };
  body: string;
  created_at: string;
}

// ---- Console socket frames ----

export interface WelcomeFrame {
  type: 'welcome';
  operator: Operator;
  operators: Operator[];
  chats: Chat[];
  /** chat id → how far this operator has read it (kept on the server) */
  read?: Record<string, number>;
  server_time: string;
}

export interface VisitorsFrame {
  type: 'visitors';
  reset: boolean;
  upsert: VisitorRow[] | null;
  remove: number[] | null;
  server_time: string;
}

export interface AckFrame {
  type: 'ack';
  ref?: string;
  chat_id?: number;
  seq?: number;
  client_id?: string;
  /** chat.watch: how far this operator has read the chat */
  read_seq?: number;
}

export interface ErrorFrame {
  type: 'error';
  ref?: string;
  code: string;
  message: string;
}

export type ServerFrame =
  | WelcomeFrame
  | VisitorsFrame
  | AckFrame
  | ErrorFrame
  | { type: 'chat'; chat: Chat }
  | { type: 'message'; message: Message }
  | { type: 'operator'; operator: Operator }
  | { type: 'settings.changed'; what: SettingsWhat }
  | { type: 'read'; chat_id: number; seq: number }
  | { type: 'note'; note: Note }
  | { type: 'rating'; chat_id: number; rating: Rating }
  | { type: 'offline_message'; offline_message: OfflineMessage }
  | { type: 'typing'; chat_id: number; author: 'visitor'; active: boolean; draft?: string };

/** What a settings.changed frame says an admin changed, on any node. */
export type SettingsWhat = 'settings' | 'action_rules' | 'invitation_rules' | 'canned_replies' | 'preferences';

/** What may sound and notify (docs/protocol.md, "Notification preferences"). */
export type NotifyEvent = 'new_ticket' | 'assigned' | 'message';

/** The operator's own notification preferences, kept on the server. */
export interface Preferences {
  sound: boolean;
  browser_notifications: boolean;
  title_count: boolean;
  events: NotifyEvent[];
  updated_at: string | null;
}

export type PreferencesPatch = Partial<Pick<Preferences, 'sound' | 'browser_notifications' | 'title_count' | 'events'>>;

/** A canned reply: shared (every operator's; admins change it) or the operator's own. */
export interface CannedReply {
  id: number;
  shortcut: string;
  text: string;
  shared: boolean;
  owner_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface CannedReplyInput {
  shortcut: string;
  text: string;
  shared?: boolean;
}

/** GET /api/reports: "Reports" for a period. */
export interface ReportTimes {
  chats: number;
  p50_seconds: number | null;
  p90_seconds: number | null;
}

export interface Report {
  from: string;
  to: string;
  time_zone: string;
  chats: number;
  missed: number;
  per_day: { date: string; chats: number; missed: number }[];
  per_hour: number[];
  per_operator: { operator: OperatorRef; chats: number }[];
  wait: ReportTimes;
  first_response: ReportTimes;
  duration: ReportTimes;
  ratings: { good: number; bad: number };
}
