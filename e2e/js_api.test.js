// The site's JavaScript API (docs/embedding.md): calls made before the
// loader ran are queued by the documented stub; identify names the visitor
// in the console; open and close drive the panel; events reach the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  nav,
  openVisitor,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

// What a site puts before the snippet, as docs/embedding.md shows it, and
// its own calls, made before the loader has run.
const SITE_SCRIPT = () => {
  window.OutputDesk = window.OutputDesk || { q: [] };
  ['open', 'close', 'identify', 'on'].forEach(function (m) {
    window.OutputDesk[m] = window.OutputDesk[m] || function () { window.OutputDesk.q.push([m, arguments]); };
  });
  window.seen = [];
  window.OutputDesk.identify({ name: 'Ada Lovelace', email: 'ada@example.com' });
  for (const e of ['chat.started', 'message', 'chat.ended']) {
    window.OutputDesk.on(e, (x) => window.seen.push(e + ':' + (e === 'message' ? x.body : x.id)));
  }
  window.OutputDesk.on('message', () => {
    throw new Error('a broken handler of the site');
  });
};

test('OutputDesk.open/close/identify/on, queued before the loader', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  await nav(op, 'Visitor List');

  await visCtx.addInitScript(SITE_SCRIPT);
  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');

  // identify: the console shows the name the site gave.
  await op.getByTestId('visitor-list').locator('.cell-name', { hasText: 'Ada Lovelace' }).waitFor();

  // open and close drive the panel.
  await vis.evaluate(() => window.OutputDesk.open());
  await vis.getByTestId('od-panel').waitFor({ state: 'visible' });
  await vis.evaluate(() => window.OutputDesk.close());
  await vis.getByTestId('od-panel').waitFor({ state: 'hidden' });
  await vis.evaluate(() => window.OutputDesk.open());
  await vis.getByTestId('od-panel').waitFor({ state: 'visible' });

  // Events: the chat starts with the visitor's message, the operator
  // answers, the visitor ends it. A handler that throws stops nothing.
  await visitorSend(vis, 'Hello from Ada');
  await nav(op, 'Chats');
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: 'Ada Lovelace' });
  await ticket.waitFor();
  const chatId = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  await op.getByTestId('chat-pane').getByRole('button', { name: 'Accept' }).click();
  const box = op.getByTestId('chat-pane').getByLabel('Message');
  await box.fill('Hi Ada!');
  await box.press('Enter');
  await vis.getByTestId('od-messages').getByText('Hi Ada!').waitFor();
  await vis.getByTestId('od-cancel').click();
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
  const seen = await waitUntil('the chat.ended event', async () => {
    const s = await vis.evaluate(() => window.seen);
    return s.includes(`chat.ended:${chatId}`) && s;
  });
  assert.deepEqual(seen.filter((e) => !e.startsWith('message:Chat Ended')), [
    `chat.started:${chatId}`,
    'message:Hello from Ada',
    'message:Hi Ada!',
    `chat.ended:${chatId}`,
  ]);

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
