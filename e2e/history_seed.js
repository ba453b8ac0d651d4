// A small known history for history.test.js and reports.test.js, made the
// way people make it: visitors write in the widget, the admin accepts in
// the console and answers, and chats end by "Cancel" on either side.
//
//   A  "Question A"  accepted by Admin, answered, ended by Admin
//   B  "Question B"  never accepted; the visitor cancels it (a missed chat)
//   C  "Question C"  accepted by Admin, not answered; the visitor cancels it
import { apiGet, left, openVisitor, openWidget, operatorSend, visitorSend } from './harness.js';

/** csrfToken is the console session's token, for REST changes made from the page's context. */
async function csrfToken(op, base) {
  const res = await apiGet(op, `${base}/api/session`);
  return (await res.json()).csrf_token;
}

function widgetMessage(page, body) {
  return page.getByTestId('od-messages').locator('[data-testid^="od-message-"]').filter({ hasText: body });
}

async function ask(visCtx, base, path, question) {
  const vis = await openVisitor(visCtx, base, path);
  await openWidget(vis);
  await visitorSend(vis, question);
  await widgetMessage(vis, question).first().waitFor();
  return vis;
}

async function accept(op, question) {
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: question });
  await ticket.waitFor();
  const id = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await op.getByTestId('my-chats').getByTestId(`chat-item-${id}`).waitFor();
  await pane.getByLabel('Message').waitFor();
  return id;
}

async function visitorCancels(vis) {
  await vis.getByTestId('od-cancel').click();
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
}

/** ticketId waits for the ticket with question and reads its chat id. */
async function ticketId(op, question) {
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: question });
  await ticket.waitFor();
  return Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
}

/**
 * seedHistory makes chats A, B and (withC) C; op is the admin's logged-in
 * console page, visCtx a browser context for the visitors (each its own
 * page, so its own tab: visitors need separate contexts to be separate
 * visitors, so newVisitor makes one). Returns { a, b, c } chat ids.
 */
export async function seedHistory(op, base, newVisitor, { withC = false } = {}) {
  const token = await csrfToken(op, base);
  const end = async (id) => {
    const res = await op.request.post(`${base}/api/chats/${id}/end`, { headers: { 'X-CSRF-Token': token }, data: {}, timeout: left() });
    if (res.status() !== 200) throw new Error(`end chat ${id}: ${res.status()} ${await res.text()}`);
  };

  const visA = await ask(await newVisitor(), base, '/demo/product', 'Question A');
  const a = await accept(op, 'Question A');
  await operatorSend(op, 'Answer A');
  await widgetMessage(visA, 'Answer A').waitFor();
  await end(a);
  await visA.getByTestId('od-ended').waitFor({ state: 'visible' });

  const visB = await ask(await newVisitor(), base, '/demo/pricing', 'Question B');
  const b = await ticketId(op, 'Question B');
  await visitorCancels(visB);
  await op.getByTestId('tickets').getByTestId(`chat-item-${b}`).waitFor({ state: 'detached' });

  let c = null;
  if (withC) {
    const visC = await ask(await newVisitor(), base, '/demo/', 'Question C');
    c = await accept(op, 'Question C');
    await visitorCancels(visC);
    await op.getByTestId('chat-pane').getByTestId('chat-ended').waitFor();
  }
  return { a, b, c };
}

/** chatOf reads a chat through the REST API. */
export async function chatOf(op, base, id) {
  const res = await apiGet(op, `${base}/api/chats/${id}`);
  return (await res.json()).chat;
}

/** formatSeconds is the console's "m:ss" (h:mm:ss past an hour), "—" for none. */
export function formatSeconds(s) {
  if (s === null || s === undefined) return '—';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** parseCSV reads RFC 4180 CSV (quoted cells, doubled quotes) into rows of cells. */
export function parseCSV(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
