// panel.js: the chat panel. The loader pulls it when the visitor needs it
// and calls window.__outputdeskPanel(api); everything the panel knows comes
// from api.state() and everything it does goes through api (see
// ../README.md). All text the visitor or an operator wrote is set with
// textContent, never as HTML.
import type { Api, Message, Pending, State, Typing } from './types';
import css from './panel.css?inline';
import { fileEl, size, upload } from './files';

const d = document;

// h makes an element with a class, optional text and optional test id.
function h<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string, testid?: string) {
  const el = d.createElement(tag);
  el.className = cls;
  if (text) el.textContent = text;
  if (testid) el.dataset.testid = testid;
  return el;
}

// txt is h for an element of text someone wrote (an admin's title or
// greeting, a message, a name): dir="auto" sets it right to left when it
// starts in Arabic or Hebrew, whatever the page's or the widget's direction.
function txt(cls: string, text?: string, testid?: string) {
  const el = h('div', cls, text, testid);
  el.dir = 'auto';
  return el;
}

function button(cls: string, text: string, testid: string, onclick: () => void) {
  const b = h('button', cls, text, testid);
  b.type = 'button';
  b.onclick = onclick;
  return b;
}

// What the server takes as an email (desk.CheckEmail is stricter; this
// catches typing slips before sending).
const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
const NOT_EMAIL = 'Please give an email address such as name@example.com.';
const bytes = (s: string) => new TextEncoder().encode(s).length;
const tooLong = (max: number) => 'Message is longer than ' + max + ' bytes';

// text fills el with body, turning http(s) links into anchors. Links are
// made with textContent and an href checked to be http(s), never as HTML.
function text(el: HTMLElement, body: string) {
  const re = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/g;
  let at = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    el.append(body.slice(at, m.index));
    const a = h('a', '', m[0]);
    a.href = m[0];
    a.target = '_blank';
    a.rel = 'noopener noreferrer nofollow';
    el.append(a);
    at = m.index + m[0].length;
  }
  el.append(body.slice(at));
}

function messageEl(m: Message) {
  const kind = m.author === 'visitor' ? 'v' : m.author === 'operator' ? 'o' : 's';
  const el = h('div', 'g ' + kind, '', 'od-message-' + m.seq);
  if (kind === 's') {
    el.textContent = m.body;
    el.dir = 'auto';
    return el;
  }
  if (kind === 'o' && m.operator) el.append(txt('n', m.operator.name));
  const bubble = txt('u');
  if (m.file) bubble.append(fileEl(m.file));
  else text(bubble, m.body);
  const t = new Date(m.created_at);
  if (!isNaN(+t)) bubble.title = t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  el.append(bubble);
  return el;
}

function pendingEl(p: Pending) {
  const el = h('div', 'g v' + (p.seq ? '' : ' w'), '', 'od-pending');
  el.append(h('div', 'u', p.body));
  if (!p.seq) el.append(h('div', 'k', 'Sending…'));
  return el;
}

// download saves the chat as plain text, with times and names: what the
// visitor saw (private notes never reach the widget).
function download(s: State) {
  const c = s.chat;
  if (!c) return;
  const pad = (n: number) => (n < 10 ? '0' : '') + n;
  const when = (iso: string) => {
    const t = new Date(iso);
    return t.getFullYear() + '-' + pad(t.getMonth() + 1) + '-' + pad(t.getDate()) + ' ' + pad(t.getHours()) + ':' + pad(t.getMinutes());
  };
  const lines = [(s.w.panel_title || 'Chat with us') + ': transcript of chat ' + c.id, ''];
  for (const m of s.messages) {
    const who = m.author === 'visitor' ? 'You' : m.author === 'operator' ? (m.operator ? m.operator.name : 'Operator') : '';
    const body = m.file ? 'File: ' + m.file.name + ' (' + size(m.file.size) + ')' : m.body;
    lines.push('[' + when(m.created_at) + '] ' + (who ? who + ': ' : '') + body);
  }
  const a = d.createElement('a');
  a.href = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/plain' }));
  a.download = 'chat-' + c.id + '.txt';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function mount(api: Api) {
  const root = api.root;

  const panel = h('div', 'p', '', 'od-panel');
  panel.setAttribute('role', 'dialog');

  panel.hidden = true;

  // Header: title, status line, "Cancel" and minimize.
  const header = h('div', 'h');
  const titles = h('div', 'ti');
  const status = txt('st');
  // Settings > Appearance: the title, and the greeting of an empty chat.
  const title = txt('t', '', 'od-title');
  titles.append(title, status);
  const cancel = button('c', 'Cancel', 'od-cancel', () => api.frame({ type: 'chat.end', ref: 'end' }));
  const close = button('x', '', 'od-close', () => {
    api.close();
    (root.querySelector('[data-testid=od-launcher]') as HTMLElement | null)?.focus();
  });
  close.setAttribute('aria-label', 'Minimize chat');
  close.innerHTML = '<svg viewBox="0 0 24 24"><path d="M6.4 8 12 13.6 17.6 8 19 9.4l-7 7-7-7z"/></svg>';
  header.append(titles, cancel, close);

  // The open invitation.
  const inv = h('div', 'i', '', 'od-invitation');
  const invName = txt('n');
  const invText = txt('it');
  inv.append(
    invName,
    invText,
    button('dm', 'Dismiss', 'od-dismiss', () => {
      const i = api.state().invitation;
      if (i) api.dismiss(i.id);
    }),
  );

  // The transcript.
  const list = h('div', 'm', '', 'od-messages');
  list.setAttribute('role', 'log');
  list.setAttribute('aria-live', 'polite');
  const hello = txt('e gr', '', 'od-greeting');
  const msgs = h('div', '');
  const pend = h('div', '');
  // "Seen" under the visitor's last message an operator has read, and
  // "NAME is typing…" below the transcript.
  const seenEl = h('div', 'k', 'Seen', 'od-seen');
  const typer = txt('k', '', 'od-typing');
  list.append(hello, msgs, pend, typer);

  // The end of the chat, errors and the message box.
  const end = h('div', 'd');
  const endText = h('div', 'dt', '', 'od-ended');
  const endBy = txt('dh', '', 'od-ended-by');
  // "Rate this chat" (good / bad, an optional comment), then the transcript.
  const rate = h('div', 'rt', '', 'od-rate');
  const good = button('rb', '👍 Good', 'od-rate-good', () => pick('good'));
  const bad = button('rb', '👎 Bad', 'od-rate-bad', () => pick('bad'));
  const comment = h('textarea', '', '', 'od-rate-comment');
  comment.rows = 2;
  comment.placeholder = 'Add a comment (optional)';
  comment.setAttribute('aria-label', 'Comment');
  const sendRating = button('sb', 'Send rating', 'od-rate-send', () => {
    const c = api.state().chat;
    if (!c || !choice) return;
    api.frame({ type: 'chat.rate', ref: 'rate', chat_id: c.id, rating: choice, comment: comment.value });
    rated = c.id;
    render();
  });
  const thanks = h('div', 'dh', 'Thank you for rating this chat.', 'od-rated');
  rate.append(h('div', 'dt', 'Rate this chat'), good, bad, comment, sendRating);
  const transcript = button('lk', 'Download transcript', 'od-transcript', () => download(api.state()));
  let mailed = 0; // the chat whose transcript was asked for by mail
  const mailIt = button('lk', 'Email me the transcript', 'od-transcript-mail', () => {
    const c = api.state().chat;
    if (!c) return;
    api.frame({ type: 'transcript.email', ref: 'tm', chat_id: c.id });
    mailed = c.id;
    render();
  });
  const mailedNote = h('div', 'dh', '', 'od-transcript-mailed');
  end.append(endText, endBy, rate, thanks, transcript, mailIt, mailedNote, h('div', 'dh', 'Write a message to start a new chat.'));
  const err = h('div', 'r', '', 'od-error');
  err.setAttribute('role', 'alert');
  const form = h('form', 'f');
  const input = h('textarea', '', '', 'od-input');
  input.rows = 1;
  input.placeholder = 'Type your message…';
  input.setAttribute('aria-label', 'Message');
  const send = h('button', 'sb', 'Send', 'od-send');
  // Files: the attach button, a file dropped on the panel, or pasted.
  const picker = h('input', '', '', 'od-file-input');
  picker.type = 'file';
  picker.hidden = true;
  const attach = button('at', '', 'od-attach', () => picker.click());
  attach.setAttribute('aria-label', 'Attach a file');
  attach.innerHTML = '<svg viewBox="0 0 24 24"><path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg>';
  const sending = h('div', 'k', '', 'od-upload');
  sending.setAttribute('aria-live', 'polite');
  const sendFiles = (files: FileList | null | undefined) => {
    const c = api.state().chat;
    if (!files || !files.length) return;
    if (!c || c.state === 'ended') return say('Send a message first: files go into an open chat.');
    localError = '';
    for (const f of Array.from(files))
      upload(
        f,
        c.id,
        (t) => {
          sending.textContent = t;
          sending.hidden = !t;
        },
        say,
      );
  };
  picker.onchange = () => {
    sendFiles(picker.files);
    picker.value = '';
  };
  form.append(attach, picker, input, send);
  const note = h('div', 'k', 'We can see what you type before you send it.', 'od-preview-note');

  // The "Pre-chat form", before the first message: each field shown as
  // Settings say (off, optional, required).
  const pc = h('form', 'pc', '', 'od-prechat');
  pc.noValidate = true; // the panel says what is missing, in its own words
  const fields = (['name', 'email', 'question'] as const).map((k) => {
    const label = h('label', '');
    const box = h(k === 'question' ? 'textarea' : 'input', '', '', 'od-prechat-' + k) as HTMLInputElement;
    if (k === 'email') box.type = 'email';
    label.append(h('span', ''), box);
    pc.append(label);
    return { k, label, box };
  });
  pc.append(h('button', 'sb', 'Start chat', 'od-prechat-start'));
  const doneKey = 'outputdesk:prechat';
  pc.onsubmit = (e) => {
    e.preventDefault();
    const s = api.state();
    const v: Record<string, string> = {};
    for (const f of fields) {
      v[f.k] = f.box.value.trim();
      if (s.w.pre_chat[f.k] === 'required' && !v[f.k]) return say('Please fill in ' + f.label.firstChild!.textContent!.replace(' (optional)', '') + '.');
    }
    if (v.email && !isEmail(v.email)) return say(NOT_EMAIL);
    if (v.name || v.email) window.OutputDesk?.identify({ name: v.name, email: v.email });
    if (v.question) api.send(v.question);
    try {
      localStorage.setItem(doneKey, '1');
    } catch {
      // storage off: the form is asked again on the next page
    }
    localError = '';
    render();
    input.focus();
  };
  const say = (m: string) => {
    localError = m;
    render();
  };

  // "Leave a message" while no operator is Online: name (optional), email
  // and message, kept for the team ("Offline messages" in the console).
  const off = h('form', 'pc', '', 'od-offline');
  off.noValidate = true;
  const offFields = (['Name (optional)', 'Email', 'Message'] as const).map((t, i) => {
    const label = h('label', '', '');
    const box = h(i === 2 ? 'textarea' : 'input', '', '', 'od-offline-' + ['name', 'email', 'message'][i]) as HTMLInputElement;
    if (i === 1) box.type = 'email';
    label.append(h('span', '', t), box);
    off.append(label);
    return box;
  });
  const offDone = h('div', 'e', 'Thank you! We got your message and will answer you by email.', 'od-offline-sent');
  off.prepend(h('div', 'e', 'No one is online right now. Leave a message and we will answer you by email.'));
  off.append(h('button', 'sb', 'Send message', 'od-offline-send'));
  let sentOffline = false;
  off.onsubmit = (e) => {
    e.preventDefault();
    const [name, email, body] = offFields.map((b) => b.value.trim());
    if (!isEmail(email)) return say(NOT_EMAIL);
    if (!body) return say('Please write your message.');
    api.frame({ type: 'offline.message', ref: 'leave', name, email, body });
    sentOffline = true;
    localError = '';
    render();
  };

  panel.append(header, inv, list, end, sending, err, off, offDone, pc, form, note);
  sending.hidden = true;
  const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
  panel.ondragover = (e) => {
    if (hasFiles(e)) e.preventDefault();
  };
  panel.ondrop = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    sendFiles(e.dataTransfer!.files);
  };
  input.onpaste = (e) => {
    const files = e.clipboardData?.files;
    if (files && files.length) {
      e.preventDefault();
      sendFiles(files);
    }
  };
  const style = h('style', '');
  style.textContent = css;
  root.append(style, panel);

  let localError = '';
  let lastError = '';
  let chatId: number | null = null;
  let wasOpen = false;
  let focused = 0;
  let typedAt = 0; // when the last typing frame went out; 0: not typing
  let typerTimer = 0;
  const nodes = new Map<number, HTMLElement>();
  // "NAME joined the chat": shown here, not stored, when the chat this
  // panel watches gets an operator it did not have; kept after the line
  // (seq) it came after. A chat first seen with its operator (a reload)
  // gets no line: nobody joined in front of the visitor.
  const joins = new Map<number, HTMLElement>();
  let opId: number | null | undefined;
  let choice: 'good' | 'bad' | '' = '';
  let rated = 0; // the chat this panel has sent a rating for
  const pick = (v: 'good' | 'bad') => {
    choice = v;
    render();
  };
  let wasOnline = false;

  // Typing frames: at most one every 2 s while the visitor types in an open
  // chat, and one "stopped" when the box empties or the message goes.
  const typed = () => {
    const c = api.state().chat;
    const t = input.value.trim();
    const now = Date.now();
    if (t && c && c.state !== 'ended') {
      if (now - typedAt < 2000) return;
      typedAt = now;
      // The draft leaves the page only under "Message preview".
      api.frame({ type: 'typing', active: true, draft: api.state().w.message_preview ? t : '' });
    } else if (typedAt) {
      typedAt = 0;
      api.frame({ type: 'typing', active: false });
    }
  };

  const fit = () => {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px'; // + borders
  };
  const check = () => {
    const s = api.state();
    const max = s.w.max_message_bytes;
    localError = bytes(input.value.trim()) > max ? tooLong(max) : '';
    if (s.error) api.clearError();
    else render();
  };
  const submit = () => {
    const s = api.state();
    const body = input.value.trim();
    if (!body) return;
    const max = s.w.max_message_bytes;
    if (bytes(body) > max) {
      localError = tooLong(max);
      return render();
    }
    input.value = '';
    fit();
    typed();
    api.send(body);
    list.scrollTop = list.scrollHeight;
  };
  form.onsubmit = (e) => {
    e.preventDefault();
    submit();
    input.focus();
  };
  input.oninput = () => {
    fit();
    check();
    typed();
  };
  input.onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  panel.onkeydown = (e) => {
    if (e.key === 'Escape') close.click();
  };

  function statusText(s: State) {
    const c = s.chat;
    if (!s.online) return 'Connecting…';
    if (c && c.state === 'active' && c.operator) return 'Chatting with ' + c.operator.name;
    if (c && c.state === 'waiting') return 'Waiting for an operator…';
    return 'Ask us anything';
  }

  function render() {
    const s = api.state();
    const c = s.chat;
    panel.hidden = !s.open;
    const opened = s.open && !wasOpen;
    wasOpen = s.open;
    const atBottom = opened || list.scrollHeight - list.scrollTop - list.clientHeight < 40;

    status.textContent = statusText(s);
    const open = !!c && c.state !== 'ended';
    cancel.hidden = !open;
    cancel.disabled = !s.online;
    attach.hidden = !open;

    inv.hidden = !s.invitation;
    if (s.invitation) {
      const op = s.invitation.kind === 'manual' && s.invitation.operator;
      invName.textContent = op ? op.name : '';
      invName.hidden = !op;
      invText.textContent = s.invitation.text;
    }

    // Messages come in seq order with no doubles; a node is made once per
    // seq and kept, so scrolling and selections survive updates.
    const id = c ? c.id : null;
    if (id !== chatId) {
      chatId = id;
      typing = null;
      nodes.clear();
      joins.clear();
      msgs.textContent = '';
      opId = wasOnline ? null : undefined;
    }
    wasOnline = s.online;
    const op = c && c.state !== 'ended' ? c.operator : null;
    if (op && opId !== undefined && op.id !== opId) {
      const seq = s.messages.length ? s.messages[s.messages.length - 1].seq : 0;
      joins.set(seq, txt('g s', op.name + ' joined the chat', 'od-joined'));
    }
    if (c) opId = c.operator ? c.operator.id : null;
    // The end block says how the chat ended: the closing line of the
    // transcript, which says the same, is hidden under it.
    const closing = c && c.state === 'ended' ? c.end_text || 'Chat Ended' : '';
    const lastSeq = s.messages.length ? s.messages[s.messages.length - 1].seq : 0;
    let prev: HTMLElement | null = null;
    for (const m of s.messages) {
      let el = nodes.get(m.seq);
      if (!el) {
        el = messageEl(m);
        nodes.set(m.seq, el);
        if (prev) prev.after(el);
        else msgs.prepend(el);
      }
      el.hidden = !!closing && m.seq === lastSeq && m.author === 'system' && m.body === closing;
      prev = el;
      const j = joins.get(m.seq);
      if (j) {
        if (el.nextSibling !== j) el.after(j);
        prev = j;
      }
    }
    let last: Message | undefined;
    for (const m of s.messages) if (m.author === 'visitor') last = m;
    if (last && last.seq <= s.opSeen) nodes.get(last.seq)!.after(seenEl);
    else seenEl.remove();
    // A typing frame shows for 6 s unless another comes (docs/protocol.md).
    const left = typing && c && c.state !== 'ended' ? typing.at + 6000 - Date.now() : 0;
    typer.textContent = left > 0 ? typing!.name + ' is typing…' : '';
    typer.hidden = left <= 0;
    clearTimeout(typerTimer);
    if (left > 0) typerTimer = setTimeout(render, left);
    note.hidden = !s.w.message_preview;
    let asked = false;
    for (const f of fields) {
      const m = s.w.pre_chat && s.w.pre_chat[f.k];
      f.label.hidden = !m || m === 'off';
      asked = asked || !f.label.hidden;
      f.label.firstChild!.textContent = { name: 'Name', email: 'Email', question: 'Your question' }[f.k] + (m === 'optional' ? ' (optional)' : '');
      f.box.required = m === 'required';
    }
    let given = false;
    try {
      given = localStorage.getItem(doneKey) === '1';
    } catch {
      // storage off: ask
    }
    // Nobody Online and no chat: "Leave a message" in place of the chat.
    const offline = s.online && !s.w.operators_online && !c && !s.invitation && !s.pending.length;
    off.hidden = !offline || sentOffline;
    offDone.hidden = !offline || !sentOffline;
    pc.hidden = offline || !asked || given || !s.online || !!c || !!s.invitation || s.pending.length > 0;
    form.hidden = offline || !pc.hidden;

    const stored = new Set(s.messages.map((m) => m.client_id));
    pend.replaceChildren(...s.pending.filter((p) => !stored.has(p.client_id)).map(pendingEl));
    hello.textContent = s.w.greeting || '';
    hello.hidden = !!(c || s.invitation || s.pending.length) || offline || !s.w.greeting;
    // Until the first welcome, the default (the panel is not shown before it).
    title.textContent = s.w.panel_title || 'Chat with us';
    panel.setAttribute('aria-label', title.textContent);

    end.hidden = !c || c.state !== 'ended';
    endText.textContent = closing;
    const ender = c && c.ended_by === 'operator' && (c.ended_by_operator || c.operator);
    const by = c && c.ended_by === 'visitor' ? 'You' : ender ? ender.name : '';
    endBy.textContent = by ? by + ' ended the chat.' : '';
    endBy.hidden = !by;
    const done = !!c && rated === c.id;
    rate.hidden = done;
    thanks.hidden = !done;
    good.setAttribute('aria-pressed', String(choice === 'good'));
    bad.setAttribute('aria-pressed', String(choice === 'bad'));
    comment.hidden = sendRating.hidden = !choice;
    const sent = !!c && mailed === c.id;
    // The email the visitor gave: on this page, or known to the server.
    const email = (s.who && s.who.email) || (s.w.visitor && s.w.visitor.email);
    mailIt.hidden = !s.w.mail || !email || sent;
    mailedNote.textContent = sent ? 'We are sending the transcript to ' + email + '.' : '';
    mailedNote.hidden = !sent;

    // A refused send: say why and give the text back to edit.
    if (s.error && s.error !== lastError && !input.value && s.refused) {
      input.value = s.refused;
      fit();
    }
    lastError = s.error;
    const e = localError || s.error;
    err.textContent = e;
    err.hidden = !e;
    send.disabled = !!localError;

    if (atBottom) list.scrollTop = list.scrollHeight;
    if (s.open && s.focus !== focused) input.focus();
    focused = s.focus;
  }

  // On a phone the panel fills the screen; an on-screen keyboard shrinks
  // the visual viewport, and the panel follows it so the message box stays
  // above the keyboard.
  const vv = window.visualViewport;
  const fitView = () => {
    const s = panel.style;
    if (vv && innerWidth <= 480) {
      s.height = vv.height + 'px';
      s.top = vv.offsetTop + 'px';
      s.bottom = 'auto';
    } else s.height = s.top = s.bottom = '';
  };
  vv?.addEventListener('resize', fitView);
  vv?.addEventListener('scroll', fitView);
  addEventListener('resize', fitView);
  fitView();

  // The operator typing, since when: shown from typing frames until their
  // message, another chat, or 6 s without a frame.
  let typing: Typing | null = null;
  api.subscribe((f) => {
    if (f && f.type === 'typing') typing = f.active ? { name: f.operator.name, at: Date.now() } : null;
    if (f && f.type === 'message' && f.message.author === 'operator') typing = null;
    render();
  });
  render();
}

window.__outputdeskPanel = mount;
