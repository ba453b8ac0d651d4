// Types shared by the loader (widget.js) and the panel (panel.js). Only types
// live here: each bundle is built on its own, so nothing at run time may be
// shared between them except the Api object the loader hands to the panel.
// The wire shapes follow docs/protocol.md, "Visitor socket".

export interface OperatorRef {
  id: number;
  name: string;
}

export interface Message {
  chat_id: number;
  seq: number;
  author: 'visitor' | 'operator' | 'system';
  operator: OperatorRef | null;
  body: string;
  client_id: string | null;
  created_at: string;
  file: FileRef | null; // the file the message sends; body is then its name
}

// A file a message sends (docs/protocol.md, "Files").
export interface FileRef {
  id: number;
  name: string;
  type: string;
  size: number;
}

export interface Chat {
  id: number;
  state: 'waiting' | 'active' | 'ended';
  operator: OperatorRef | null;
  last_seq: number;
  ended_by: string | null;
  ended_by_operator: OperatorRef | null;
  end_reason: string | null;
  end_text: string | null;
}

// The operator typing: their name and when the last typing frame came.
export interface Typing {
  name: string;
  at: number;
}

export interface Invitation {
  id: number;
  kind: 'manual' | 'automated';
  text: string;
  operator: OperatorRef | null;
  state: string;
  created_at: string;
}

// A message the visitor wrote that the server has not stored yet (no seq),
// or has acknowledged but whose `message` frame has not arrived (seq set).
export interface Pending {
  client_id: string;
  body: string;
  seq?: number;
}

// What the panel reads. The loader owns it; the panel never changes it
// except through the Api calls.
export interface State {
  open: boolean; // the panel is shown
  online: boolean; // the socket is connected and welcomed
  chat: Chat | null; // the visitor's current (or just ended) chat
  messages: Message[]; // messages of `chat`, in seq order, no doubles
  pending: Pending[]; // sends not yet stored, oldest first
  invitation: Invitation | null; // the open invitation
  error: string; // why the last send was refused ("" when none)
  refused: string; // the body of that send, to put back in the box
  focus: number; // grows each time the visitor opens the panel: take the focus
  opSeen: number; // an operator has read the chat up to this seq ("Seen")
  who: { name?: string; email?: string } | null; // what OutputDesk.identify (or the pre-chat form) gave
  w: Welcome; // the last welcome ({} before the first): the site's settings
}

// What the panel reads of the welcome (docs/protocol.md, "welcome").
export interface Welcome {
  max_message_bytes: number;
  message_preview: boolean; // the visitor's draft is sent as typed
  pre_chat: PreChat; // the "Pre-chat form"
  operators_online: boolean; // else: "Leave a message" (kept up by availability frames)
  mail: boolean; // the server can mail ("Email me the transcript")
  visitor: { id: number; name: string; email?: string };
  launcher_offset: number;
  // Settings > Appearance
  accent_color: string;
  launcher_position: 'right' | 'left';
  panel_title: string;
  greeting: string;
  show_operator_names: boolean;
}

// The "Pre-chat form": each field 'off', 'optional' or 'required'.
export interface PreChat {
  name: string;
  email: string;
  question: string;
}

// The object the loader passes to window.__outputdeskPanel.
export interface Api {
  root: ShadowRoot;
  state(): State;
  // The one listener, called after every change, with the frame that made
  // it if one did (the panel follows typing frames itself).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  subscribe(listener: (frame?: any) => void): void;
  send(body: string): void;
  frame(f: object): void; // sends a frame the panel made, if connected
  dismiss(invitationId: number): void;
  close(): void;
  clearError(): void;
}

declare global {
  interface Window {
    __outputdeskPanel?: (api: Api) => void;
    __outputdeskLoaded?: boolean;
    OutputDesk?: { identify(p: { name?: string; email?: string }): void };
  }
}
