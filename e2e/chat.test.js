// A visitor on the product page and an operator in the console talk, then
// one of them clicks "Cancel" (the operator confirms "End chat") and both see
// "Chat Ended" (the console once, with who ended it). Visitor text with
// HTML in it stays text in the console.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  openVisitor,
  openWidget,
  operatorSend,
  textOf,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const XSS = '<img src=x onerror="window.__pwned=1">';
const BOLD = '<b>bold</b>';

// No --demo: the chat rule is Manual and there is no action rule, so the
// chat waits as a ticket until the admin accepts it.
const f = useServer({ env: ADMIN_ENV });

// chatIdOf reads the chat id from a chat-item-<id> element.
async function chatIdOf(item) {
  const id = await item.getAttribute('data-testid');
  return Number(id.replace('chat-item-', ''));
}

// widgetBubble is the message of the widget's transcript whose text is body.
function widgetMessage(page, body) {
  return page.getByTestId('od-messages').locator('[data-testid^="od-message-"]').filter({ hasText: body });
}

function consoleBubbles(page) {
  return page.getByTestId('chat-pane').getByTestId('messages').locator('[data-testid^="message-"] .msg-bubble');
}

test('visitor and operator chat, the visitor cancels, both see "Chat Ended"; HTML stays text', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, XSS);
  await widgetMessage(vis, XSS).first().waitFor();
  await visitorSend(vis, BOLD);
  await widgetMessage(vis, BOLD).first().waitFor();

  // The ticket appears for the admin (Manual chat rule), who accepts it.
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]');
  await ticket.first().waitFor();
  assert.equal(await ticket.count(), 1, 'exactly one ticket');
  const chatId = await chatIdOf(ticket.first());
  await ticket.first().getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await op.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).waitFor();
  await pane.getByLabel('Message').waitFor();

  // The visitor's HTML is shown as the literal text and never run.
  await waitUntil('both visitor messages in the console', async () => (await consoleBubbles(op).count()) >= 2);
  const bubbles = await consoleBubbles(op).allTextContents();
  assert.deepEqual(bubbles.slice(0, 2), [XSS, BOLD]);
  const messages = pane.getByTestId('messages');
  assert.equal(await messages.locator('img').count(), 0, 'no <img> element from visitor text');
  assert.equal(await messages.locator('b').count(), 0, 'no <b> element from visitor text');
  assert.equal(await op.evaluate(() => window.__pwned), undefined, 'console ran visitor script');
  // The chat lists show the last line as text too.
  assert.equal(await op.getByTestId(`chat-item-${chatId}`).locator('img, b').count(), 0);

  // Operator writes; the visitor sees it with the operator's name.
  await operatorSend(op, 'Hello from Admin, how can I help?');
  const reply = widgetMessage(vis, 'Hello from Admin, how can I help?');
  await reply.waitFor();
  assert.match(await textOf(reply), /^Admin/);
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();

  // Visitor writes back; the operator sees it.
  await visitorSend(vis, 'Does it ship to Norway?');
  await pane.getByTestId('messages').getByText('Does it ship to Norway?', { exact: true }).waitFor();

  // The visitor clicks "Cancel": both windows show the end.
  await vis.getByTestId('od-cancel').click();
  const ended = vis.getByTestId('od-ended');
  await ended.waitFor({ state: 'visible' });
  assert.equal(await textOf(ended), 'Chat Ended');
  await vis.getByTestId('od-cancel').waitFor({ state: 'hidden' });
  // The widget says it once too, with who ended it: the transcript's closing
  // line is there but hidden under the end block.
  await widgetMessage(vis, 'Chat Ended').waitFor({ state: 'hidden' });
  assert.equal(await textOf(vis.getByTestId('od-ended-by')), 'You ended the chat.');
  assert.equal(await vis.getByTestId('od-panel').getByText('Chat Ended').filter({ visible: true }).count(), 1);

  const notice = pane.getByTestId('chat-ended');
  await notice.waitFor();
  assert.match(await textOf(notice), /^Chat Ended/);
  assert.match(await textOf(notice), /Ended by the visitor/);
  // "Chat Ended" once: the notice says it with who ended it, and the
  // transcript's closing system line (which the chat list shows as the last
  // line once it arrived) is not repeated above it.
  await op.getByTestId(`chat-item-${chatId}`).locator('.chat-item-last', { hasText: 'Chat Ended' }).waitFor();
  assert.equal(await pane.getByText('Chat Ended').count(), 1, 'the console says "Chat Ended" once');
  // An ended chat cannot be written in any more.
  assert.equal(await pane.getByLabel('Message').count(), 0, 'no message box on an ended chat');

  assert.equal(await vis.evaluate(() => window.__pwned), undefined, 'widget ran visitor script');
  assert.equal(await op.evaluate(() => window.__pwned), undefined, 'console ran visitor script');
  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));

test('the operator cancels: both see "Chat Ended" and the Visitor List row says so', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'Is the 1 kg bag in stock?');

  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: 'Is the 1 kg bag in stock?' });
  await ticket.waitFor();
  const chatId = await chatIdOf(ticket);
  await ticket.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await pane.getByLabel('Message').waitFor();
  const visitorName = await textOf(pane.locator('.chat-head h2'));
  assert.match(visitorName, /\S/);

  await operatorSend(op, 'Yes, we have plenty.');
  await widgetMessage(vis, 'Yes, we have plenty.').waitFor();
  await visitorSend(vis, 'Great, thanks!');
  await pane.getByTestId('messages').getByText('Great, thanks!', { exact: true }).waitFor();

  // "Cancel" asks first ("End this chat?"); "End chat" ends it.
  await pane.getByRole('button', { name: 'Cancel' }).click();
  await pane.getByRole('group', { name: 'End this chat?' }).getByRole('button', { name: 'End chat' }).click();
  const notice = pane.getByTestId('chat-ended');
  await notice.waitFor();
  assert.match(await textOf(notice), /^Chat Ended/);
  assert.match(await textOf(notice), /Ended by Admin/);
  await op.getByTestId(`chat-item-${chatId}`).locator('.chat-item-last', { hasText: 'Chat Ended' }).waitFor();
  assert.equal(await pane.getByText('Chat Ended').count(), 1, 'the console says "Chat Ended" once');

  const ended = vis.getByTestId('od-ended');
  await ended.waitFor({ state: 'visible' });
  assert.equal(await textOf(ended), 'Chat Ended');
  await vis.getByTestId('od-cancel').waitFor({ state: 'hidden' });
  assert.equal(await textOf(vis.getByTestId('od-ended-by')), 'Admin ended the chat.');

  // The chat stays in "my chats", marked ended, until "Close".
  await op.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).locator('.tag-ended').waitFor();

  // Visitor List: the visitor's row shows "Chat Ended".
  await op.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Visitor List' }).click();
  const grid = op.getByTestId('visitor-list');
  const row = grid.locator('[data-testid^="visitor-row-"]', { has: op.locator('.cell-name', { hasText: visitorName }) });
  await row.locator('.cell-status', { hasText: /^Chat Ended$/ }).waitFor();
  assert.equal(await textOf(row.locator('.page-title')), 'Product');

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
