// A chat is going between the widget and the console when the server
// restarts on the same data dir and port. Both clients reconnect by
// themselves, without a reload, and messages sent after the restart arrive
// on the other side exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  apiGet,
  loginConsole,
  openWidget,
  operatorSend,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';


const f = useServer({ env: ADMIN_ENV });

// countSockets counts the WebSockets a page opens to path, so the test can
// wait for a reconnect instead of for time.
function countSockets(page, path) {
  const counter = { opened: 0 };
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).pathname === path) counter.opened++;
  });
  return counter;
}

const widgetTexts = (vis) =>
  vis.getByTestId('od-messages').locator('[data-testid^="od-message-"] .u').allTextContents();
const consoleTexts = (op) => op.getByTestId('chat-pane').getByTestId('messages').locator('.msg-bubble').allTextContents();
const times = (list, body) => list.filter((t) => t === body).length;

// storedBodies asks the server for the chat's transcript.
async function storedBodies(op, base, chatId) {
  const res = await apiGet(op, `${base}/api/chats/${chatId}`);
  assert.equal(res.status(), 200);
  const { messages } = await res.json();
  return messages.map((m) => m.body);
}

// exchange sends one message from each side and checks each arrives on the
// other side, once, and is stored once.
async function exchange(op, vis, chatId, tag) {
  const fromOp = `operator after ${tag}`;
  const fromVis = `visitor after ${tag}`;
  await operatorSend(op, fromOp);
  await visitorSend(vis, fromVis);
  // Each side ends with a marker; once the markers are in, anything that
  // would have been doubled before them is in too (messages arrive in seq order).
  await operatorSend(op, `operator marker ${tag}`);
  await visitorSend(vis, `visitor marker ${tag}`);
  await waitUntil(`the widget to show both messages after ${tag}`, async () => {
    const t = await widgetTexts(vis);
    return t.includes(fromOp) && t.includes(`operator marker ${tag}`) && t.includes(`visitor marker ${tag}`);
  });
  await waitUntil(`the console to show both messages after ${tag}`, async () => {
    const t = await consoleTexts(op);
    return t.includes(fromVis) && t.includes(`visitor marker ${tag}`) && t.includes(`operator marker ${tag}`);
  });
  // No "Sending…" left on either side.
  await op.getByTestId('chat-pane').locator('.msg-pending').waitFor({ state: 'detached' });
  await vis.getByTestId('od-pending').first().waitFor({ state: 'detached' });

  const w = await widgetTexts(vis);
  const c = await consoleTexts(op);
  const s = await storedBodies(op, f.server.base, chatId);
  for (const body of [fromOp, fromVis, `operator marker ${tag}`, `visitor marker ${tag}`]) {
    assert.equal(times(w, body), 1, `widget shows "${body}" once: ${JSON.stringify(w)}`);
    assert.equal(times(c, body), 1, `console shows "${body}" once: ${JSON.stringify(c)}`);
    assert.equal(times(s, body), 1, `server stored "${body}" once: ${JSON.stringify(s)}`);
  }
  // Nothing doubled at all, on either side.
  assert.equal(new Set(w).size, w.length, `widget doubled a line: ${JSON.stringify(w)}`);
  assert.equal(new Set(c).size, c.length, `console doubled a line: ${JSON.stringify(c)}`);
  assert.equal(new Set(s).size, s.length, `server stored a line twice: ${JSON.stringify(s)}`);
}

test('widget and console reconnect by themselves after a restart; messages arrive once', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  const opSockets = countSockets(op, '/ws/console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  // The page is opened by hand so the socket counter is in place before the widget connects.
  const vis = await visCtx.newPage();
  const visSockets = countSockets(vis, '/ws/visitor');
  await vis.goto(`${f.server.base}/demo/product`);
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'Hello before the restart');

  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]');
  await ticket.first().waitFor();
  const chatId = Number((await ticket.first().getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.first().getByRole('link').click();
  await op.getByTestId('chat-pane').getByRole('button', { name: 'Accept' }).click();
  await op.getByTestId('chat-pane').getByLabel('Message').waitFor();
  await operatorSend(op, 'Hi, before the restart too');
  await vis.getByTestId('od-messages').getByText('Hi, before the restart too').waitFor();
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();

  // Marks that a reload would wipe.
  await op.evaluate(() => (window.__noReload = 'console'));
  await vis.evaluate(() => (window.__noReload = 'widget'));
  assert.equal(opSockets.opened, 1);
  assert.equal(visSockets.opened, 1);

  // 1. A clean restart (SIGTERM): wait until both have reconnected, then talk.
  await f.server.restart();
  await waitUntil('the console to open a new socket', () => opSockets.opened >= 2);
  await waitUntil('the widget to open a new socket', () => visSockets.opened >= 2);
  await op.locator('.conn', { hasText: 'Connected' }).waitFor();
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();
  await exchange(op, vis, chatId, 'the restart');

  // 2. A crash (SIGKILL): write at once, while the clients are still
  // reconnecting; their pending sends go out after the welcome, once.
  await f.server.restart({ signal: 'SIGKILL' });
  await exchange(op, vis, chatId, 'the crash');
  await waitUntil('the console to open a third socket', () => opSockets.opened >= 3);
  await waitUntil('the widget to open a third socket', () => visSockets.opened >= 3);

  // Neither page was reloaded, and the chat is still on.
  assert.equal(await op.evaluate(() => window.__noReload), 'console');
  assert.equal(await vis.evaluate(() => window.__noReload), 'widget');
  assert.equal(await op.getByTestId('chat-pane').getByTestId('chat-ended').count(), 0);
  assert.equal(await vis.getByTestId('od-ended').isVisible(), false);
  // The early messages are still there, once each.
  for (const body of ['Hello before the restart', 'Hi, before the restart too']) {
    assert.equal(times(await widgetTexts(vis), body), 1, `widget: ${body}`);
    assert.equal(times(await consoleTexts(op), body), 1, `console: ${body}`);
  }
  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
