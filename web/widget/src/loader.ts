// widget.js: the loader. It runs on every page of the customer's site, so
// it stays small and does only what must happen on every page: the launcher
// button, the visitor socket (presence, invitations, resume) and the state.
// The chat panel (panel.js) is pulled only when the visitor needs it.
// See ../README.md for the loader/panel contract and docs/protocol.md for
// the frames. State lives in plain variables rather than one object: the
// minifier shortens variables, not property names.
import type { Api, Chat, Invitation, Message, Pending, Welcome } from './types';
import css from './loader.css?inline';

const w = window;
const d = document;
const json = JSON.stringify;

const cur = d.currentScript as HTMLScriptElement | null;
const script =
  cur && cur.dataset.siteKey ? cur : d.querySelector<HTMLScriptElement>('script[data-site-key][src$="/widget.js"]');

// rid makes an id unique enough for page views and client ids (at least 8
// characters); they need not be secret, and crypto.randomUUID is missing on
// plain-http sites.
const rid = (prefix: string) => prefix + Date.now().toString(36) + Math.random().toString(36).slice(2);

if (script && !w.__outputdeskLoaded) {
  w.__outputdeskLoaded = true;
  start(script.src, script.dataset.siteKey as string);
}

// The chat record in localStorage, shared by all tabs: the chat they last
// knew, its highest seq and state, the highest seq the visitor has seen (for
// the unread badge) and the last invitation shown.
interface ChatRecord {
  chat_id?: number;
  last_seq?: number;
  state?: string;
  seen?: number;
  inv?: number;
}

function start(src: string, siteKey: string) {
  // Paths are resolved against widget.js's own URL, so a server mounted
  // under a path prefix works too.
  const panelUrl = new URL('widget/panel.js', src).href;
  const wsUrl = new URL('ws/visitor?site_key=' + encodeURIComponent(siteKey), src);
  wsUrl.protocol = wsUrl.protocol.replace('http', 'ws');
  const prefix = 'outputdesk:' + siteKey + ':';

  // Storage can throw (blocked cookies, sandboxed frames): the widget then
  // works for this page only.
  const store = (local: boolean) => (local ? localStorage : sessionStorage);
  const get = (local: boolean, name: string): string | null | undefined => {
    try {
      return store(local).getItem(prefix + name);
    } catch {
      // not available
    }
  };
  const set = (local: boolean, name: string, value: string | null) => {
    try {
      if (value == null) store(local).removeItem(prefix + name);
      else store(local).setItem(prefix + name, value);
    } catch {
      // not available
    }
  };
  const parse = (s: string | null | undefined) => {
    try {
      return JSON.parse(s as string);
    } catch {
      // not JSON: nothing
    }
  };
  const record = (): ChatRecord => parse(get(true, 'chat')) || {};
  const saved = record();
  let seen = 0;
  let shownInv = saved.inv || 0;
  let token = get(true, 'token') || '';

  // The state the panel reads through api.state().
  let open = false;
  let online = false;
  let chat: Chat | null = null;
  let messages: Message[] = [];
  let pending: Pending[] = parse(get(false, 'pending')) || [];
  let invitation: Invitation | null = null;
  let error = '';
  let refused = '';
  let focus = 0;
  let opSeen = 0; // how far an operator has read the chat ("Seen")
  // The last welcome, whose settings the panel reads (operators_online
  // follows availability frames).
  let welcome = {} as Welcome;
  const lastSeq = () => (messages.length ? messages[messages.length - 1].seq : 0);

  // ---- UI: a shadow root on a host element of its own ----
  const host = d.createElement('outputdesk-widget');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    css +
    '</style><button class=l data-testid=od-launcher aria-label=Chat><svg viewBox="0 0 24 24">' +
    '<path class=i1 d="M3 4h18v13H9l-5 4v-4H3z"/><path class=i2 d="M6 8l6 6 6-6 1.5 1.5L12 17 4.5 9.5z"/>' +
    '</svg><span class=b></span></button>';
  const launcher = root.lastElementChild as HTMLButtonElement;
  const look = (name: string, value: string) => host.style.setProperty('--od-' + name, value);
  const badge = launcher.lastElementChild!;
  launcher.onclick = () => (open ? hide() : show(1));
  const attach = () => d.body.append(host);
  if (d.body) attach();
  else d.addEventListener('DOMContentLoaded', attach);

  // ---- state changes ----
  // The panel, once mounted, hears every change, with the frame that made
  // it if one did (it follows typing frames itself).
  let listener: (f?: object) => void = () => {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function update(f?: any) {
    const r = record();
    if (chat) {
      // What the visitor has seen of this chat, here or in another tab.
      if (r.chat_id === chat.id && r.seen! > seen) seen = r.seen!;
      if (open && visible()) seen = lastSeq();
      r.chat_id = chat.id;
      r.last_seq = lastSeq();
      r.state = chat.state;
      r.seen = seen;
    }
    r.inv = shownInv;
    set(true, 'chat', json(r));
    set(false, 'pending', json(pending));
    set(false, 'open', open ? '1' : null);

    const unread = open ? 0 : messages.filter((m) => m.author === 'operator' && m.seq > seen).length;
    badge.textContent = unread ? '' + unread : '';
    launcher.classList.toggle('o', open);
    launcher.setAttribute('aria-expanded', '' + open);
    listener(f);
  }

  // show opens the panel; user is set when the visitor asked for it, and
  // only then does the panel take the focus (an invitation must not steal
  // it from the page).
  function show(user?: 1) {
    open = true;
    if (user) focus++;
    if (invitation) shownInv = invitation.id;
    update();
    pull();
  }
  function hide() {
    open = false;
    update();
  }

  // ---- the panel, pulled on demand ----
  let pulling = false;
  function pull() {
    if (pulling) return;
    pulling = true;
    const s = d.createElement('script');
    s.src = panelUrl;
    s.async = true;
    s.onload = () => w.__outputdeskPanel?.(api);
    s.onerror = () => {
      pulling = false;
      s.remove();
    };
    d.head.append(s);
  }

  // ---- the socket ----
  let ws: WebSocket | null = null;
  let ready = false; // welcome received on ws
  let stopped = false;
  let delay = 500;
  let timer = 0;
  let sent = ''; // the token the last hello sent
  // Only called with an open socket: from onopen, or once welcomed (ready).
  const raw = (frame: object) => ws!.send(json(frame));
  // Only unacknowledged sends are sent: p is { client_id, body }.
  const sendFrame = (p: Pending) => raw({ type: 'message.send', ref: p.client_id, ...p });

  // The page of this load. SPA navigations make a new one.
  let pageId = rid('pv-');
  let pageUrl = location.href;
  let referrer = d.referrer;
  const page = () => ({ id: pageId, url: location.href, title: d.title, referrer });
  const visible = () => d.visibilityState === 'visible';
  const sendPage = () => ready && raw({ type: 'page', page: page(), visible: visible() });

  function connect() {
    clearTimeout(timer);
    timer = 0;
    if (ws || stopped) return;
    let s: WebSocket;
    try {
      s = new WebSocket(wsUrl.href);
    } catch {
      return retry();
    }
    ws = s;
    s.onopen = () =>
      raw({
        type: 'hello',
        token: (sent = token),
        page: page(),
        visible: visible(),
        user_agent: navigator.userAgent,
        chat_id: chat?.id || saved.chat_id || null,
        // What this tab holds: a fresh page holds no messages, so it asks for
        // the whole transcript of the chat it names.
        last_seq: lastSeq(),
      });
    s.onmessage = (e) => {
      const f = ws === s && parse(e.data);
      if (f) onFrame(f);
    };
    s.onclose = (e) => {
      if (ws !== s) return;
      ws = null;
      ready = online = false;
      // 4400 bad hello, 4403 origin not allowed, 4404 unknown site key (4401
      // and 4402 are not sent to widgets): trying again would not help, and
      // a chat button that cannot connect only misleads the visitor.
      if (e.code > 4399 && e.code < 4405) {
        stopped = true;
        host.remove();
      } else retry();
      update();
    };
  }
  function retry() {
    if (stopped || timer) return;
    timer = setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
    delay = delay < 5000 ? delay * 2 : 10000;
  }
  function kick() {
    if (ws || stopped) return;
    delay = 500;
    connect();
  }

  function setChat(c: Chat | null) {
    if (c && chat && c.id < chat.id) return; // an older chat
    // The site's events (OutputDesk.on) are for what happens live, not for
    // what a page load reads back.
    if (ready && c) {
      if (c.id !== chat?.id) {
        if (c.state !== 'ended') emit('chat.started', c);
      } else if (c.state === 'ended' && chat.state !== 'ended') emit('chat.ended', c);
    }
    if (!c || !chat || c.id !== chat.id) {
      messages = [];
      seen = opSeen = 0;
    }
    chat = c;
  }

  function addMessage(m: Message) {
    // The message of a chat whose `chat` frame has not come yet.
    if (!chat || m.chat_id > chat.id) setChat({ id: m.chat_id, state: 'waiting' } as Chat);
    // The server sends a chat's messages in seq order with no gaps, so one
    // at or below the last seq held is one this tab already has.
    if (m.chat_id !== chat!.id || m.seq <= lastSeq()) return;
    messages.push(m);
    if (ready) emit('message', m);
    pending = pending.filter((p) => p.client_id !== m.client_id);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function onFrame(f: any) {
    switch (f.type) {
      case 'welcome': {
        // A new identity while another tab got one first (two tabs of a new
        // visitor opened at once): take the other tab's and say hello
        // again, so that all tabs are one visitor.
        const stored = get(true, 'token');
        if (f.token !== sent && stored && stored !== sent) {
          token = stored;
          ws!.close();
          return;
        }
        set(true, 'token', (token = f.token));
        welcome = f;
        if (f.chat) setChat(f.chat);
        else if (chat?.state !== 'ended') setChat(null);
        f.messages.forEach(addMessage);
        invitation = f.invitation;
        opSeen = f.seen_seq;
        // Settings > Appearance. The launcher shows only once the host has
        // a side (loader.css), so it never shows in a colour or on a side
        // it then leaves.
        look('off', f.launcher_offset + 'px');
        look('accent', f.accent_color);
        host.setAttribute('side', f.launcher_position);
        // Acknowledged sends are in the transcript now; send the others
        // again with the same client_id, which the server stores only once.
        pending = pending.filter((p) => !p.seq);
        ready = online = true;
        delay = 500;
        pending.forEach(sendFrame);
        identify();
        if (invitation && (invitation.id !== shownInv || get(false, 'open'))) show();
        break;
      }
      case 'chat':
        setChat(f.chat);
        break;
      case 'message':
        addMessage(f.message);
        break;
      case 'invitation':
        invitation = f.invitation;
        show();
        break;
      case 'availability':
        welcome.operators_online = f.online;
        break;
      case 'seen':
        if (f.chat_id === chat?.id && f.seq > opSeen) opSeen = f.seq;
        break;
      case 'invitation.closed':
        if (invitation?.id === f.invitation_id) invitation = null;
        break;
      case 'ack':
        for (const p of pending) if (p.client_id === f.client_id) p.seq = f.seq;
        break;
      case 'error': {
        const p = pending.find((x) => x.client_id === f.ref);
        if (!p) return;
        refused = p.body;
        error = f.message;
        pending = pending.filter((x) => x !== p);
      }
    }
    update(f);
  }

  const api: Api = {
    root,
    state: () => ({ open, online, chat, messages, pending, invitation, error, refused, focus, opSeen, who, w: welcome }),
    subscribe(l) {
      listener = l;
    },
    send(body) {
      const p: Pending = { client_id: rid('m-'), body };
      pending.push(p);
      error = refused = '';
      if (ready) sendFrame(p);
      update();
    },
    // A frame the panel makes (chat.end, typing, chat.rate…), sent if the
    // socket is up; what it answers comes back as state.
    frame(f) {
      if (ready) raw(f);
    },
    dismiss(id) {
      if (ready) raw({ type: 'invitation.dismiss', ref: 'dismiss', invitation_id: id });
      invitation = null;
      update();
    },
    close: hide,
    clearError() {
      error = refused = '';
      update();
    },
  };

  // ---- the site's JavaScript API (docs/embedding.md) ----
  // OutputDesk.open(), .close(), .identify({ name, email }), .on(event, fn)
  // with 'chat.started', 'message', 'chat.ended'. Calls made before this
  // script ran were queued by the snippet's stub (OutputDesk.q).
  const handlers: Record<string, ((x: unknown) => void)[]> = {};
  function emit(e: string, x: unknown) {
    for (const f of handlers[e] || [])
      try {
        f(x);
      } catch {
        // the site's handler failed: the widget goes on
      }
  }
  let who: { name?: string; email?: string } | null = null;
  const identify = () => ready && who && raw({ type: 'visitor.identify', ref: 'id', name: who.name || '', email: who.email || '' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const od: Record<string, (...a: any[]) => void> = {
    open: () => show(1),
    close: hide,
    identify(p) {
      who = p;
      identify();
    },
    on(e, f) {
      (handlers[e] = handlers[e] || []).push(f);
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const early: [string, any[]][] = (w as any).OutputDesk?.q || [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (w as any).OutputDesk = od;
  early.forEach(([m, a]) => od[m]?.(...a));

  // ---- page tracking ----
  // Coming back to a tab (also from the back/forward cache) reconnects at
  // once: background tabs may have had their retry timers throttled.
  d.addEventListener('visibilitychange', () => {
    sendPage();
    update();
    if (visible()) kick();
  });
  const strip = (u: string) => u.split('#')[0];
  // A new URL (but not a new #fragment) is a new page view. The check waits
  // a little so that a single-page app can set its new title first.
  const nav = () =>
    setTimeout(() => {
      if (strip(location.href) === strip(pageUrl)) return;
      referrer = pageUrl;
      pageUrl = location.href;
      pageId = rid('pv-');
      sendPage();
    }, 200);
  for (const k of ['pushState', 'replaceState'] as const) {
    const orig = history[k];
    history[k] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = orig.apply(this, args);
      nav();
      return r;
    };
  }
  w.addEventListener('popstate', nav);
  w.addEventListener('online', kick);

  // The panel was open on the previous page and the chat is still going:
  // pull it now, alongside the socket.
  if (get(false, 'open') && saved.state && saved.state !== 'ended') show();
  update();
  connect();
}
