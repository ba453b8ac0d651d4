// Read positions kept on the server (unread counts agree across two
// browsers of one operator and a new log-in; the widget says "Seen"), and
// typing both ways, with the visitor's draft only under "Message preview".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acceptTicket,
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  nav,
  openVisitor,
  openWidget,
  textOf,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

const widgetMessage = (page, body) =>
  page.getByTestId('od-messages').locator('[data-testid^="od-message-"]').filter({ hasText: body });

// badge is a chat's unread count in the console's chat list.
const badge = (page, chatId) => page.getByTestId(`chat-item-${chatId}`).locator('.badge');

test('unread counts live on the server: a second browser and a new log-in agree; the widget says "Seen"', withServerLog(async () => {
  const ctxA = await f.newContext();
  const ctxB = await f.newContext();
  const visCtx = await f.newContext();
  const a = await ctxA.newPage();
  const errors = watchErrors(a, 'console A');
  await loginConsole(a, f.server.base, ADMIN.email, ADMIN.password);

  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'first question');
  const chatId = await acceptTicket(a, 'first question');
  // A has the chat on screen: it is read, and the widget says so.
  const seen = vis.getByTestId('od-seen');
  await seen.waitFor({ state: 'visible' });
  assert.match(await textOf(widgetMessage(vis, 'first question').locator('xpath=following-sibling::*[1]')), /^Seen$/);

  // A leaves the chat; the same operator logs in on a second browser.
  await nav(a, 'Visitor List');
  const b = await ctxB.newPage();
  errors.push(...watchErrors(b, 'console B'));
  await loginConsole(b, f.server.base, ADMIN.email, ADMIN.password);
  await b.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).waitFor();

  // A new message is unread on both, and "Seen" moves off the visitor's
  // last message.
  await visitorSend(vis, 'second question');
  await widgetMessage(vis, 'second question').waitFor();
  await seen.waitFor({ state: 'detached' });
  await waitUntil('B to count 1 unread', async () => (await badge(b, chatId).count()) === 1 && (await textOf(badge(b, chatId))) === '1');

  // A reads it: B's count clears without B touching anything, and the
  // widget says "Seen" again.
  await nav(a, 'Chats');
  await a.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).getByRole('link').click();
  await a.getByTestId('chat-pane').getByText('second question', { exact: true }).waitFor();
  await badge(b, chatId).waitFor({ state: 'detached' });
  await seen.waitFor({ state: 'visible' });

  // Two more messages while nobody looks; a new log-in (fresh browser
  // storage) counts only those two, not the whole chat.
  await nav(a, 'Visitor List');
  await visitorSend(vis, 'third question');
  await widgetMessage(vis, 'third question').waitFor();
  const ctxC = await f.newContext();
  const c = await ctxC.newPage();
  errors.push(...watchErrors(c, 'console C'));
  await loginConsole(c, f.server.base, ADMIN.email, ADMIN.password);
  const itemC = c.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`);
  await itemC.waitFor();
  await visitorSend(vis, 'fourth question');
  // The list's last line comes from the messages C holds: once it shows
  // the fourth, C holds the whole chat, so its count is final.
  await itemC.locator('.chat-item-last', { hasText: 'fourth question' }).waitFor();
  assert.equal(await textOf(badge(c, chatId)), '2', 'a new log-in counts only what was not read');

  assert.deepEqual(errors, []);
  for (const ctx of [ctxA, ctxB, ctxC, visCtx]) await ctx.close();
}));

test('typing shows both ways; the draft only with "Message preview" on', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  let vis = await openVisitor(visCtx, f.server.base, '/demo/pricing');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'a pricing question');
  const chatId = await acceptTicket(op, 'a pricing question');
  const pane = op.getByTestId('chat-pane');
  await pane.getByText('a pricing question', { exact: true }).waitFor();
  assert.equal(await vis.getByTestId('od-preview-note').isVisible(), false, 'no preview note while Message preview is off');

  // The visitor types: the console says so, without the draft.
  const note = pane.getByTestId('typing-note');
  await vis.getByTestId('od-input').fill('my card number is');
  await note.getByText('Visitor is typing…').waitFor();
  assert.equal(await pane.getByTestId('typing-draft').count(), 0, 'the draft reached the console with Message preview off');
  await vis.getByTestId('od-input').fill('');
  await note.getByText('Visitor is typing…').waitFor({ state: 'detached' });

  // The operator types: the widget names them; clearing the box stops it.
  const typing = vis.getByTestId('od-typing');
  await pane.getByLabel('Message').fill('Let me check');
  await typing.getByText('Admin is typing…').waitFor();
  await pane.getByLabel('Message').fill('');
  await typing.waitFor({ state: 'hidden' });

  // An admin turns "Message preview" on; the visitor's next page sees it.
  await nav(op, 'Settings');
  const [res] = await Promise.all([
    op.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'PATCH'),
    op.getByLabel('Message preview').check(),
  ]);
  assert.equal(res.status(), 200, 'the server took "Message preview"');
  await vis.close();
  vis = await openVisitor(visCtx, f.server.base, '/demo/pricing');
  errors.push(...watchErrors(vis, 'widget after'));
  await openWidget(vis);
  await vis.getByTestId('od-preview-note').waitFor({ state: 'visible' });
  await nav(op, 'Chats');
  await op.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).getByRole('link').click();
  await vis.getByTestId('od-input').fill('Does it ship to Norway');
  const draft = op.getByTestId('chat-pane').getByTestId('typing-draft');
  await draft.waitFor();
  await waitUntil('the draft to show', async () => (await textOf(draft)) === 'Does it ship to Norway');

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
