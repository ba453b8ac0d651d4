// Proactive chat: the admin sets "Chat Invitation Text", watches the Visitor
// List, sees a visitor arrive on the pricing page and clicks "Invite". The
// widget pops open with the text and the operator's name; the visitor
// replies, which makes a chat started by the invitation and assigned to
// that operator, where the reply shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  apiGet,
  loginConsole,
  nav,
  openVisitor,
  textOf,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const TEMPLATE = 'Good day! I am {operator} from Kettle & Bean. Can I help you pick a plan?';
const SHOWN = 'Good day! I am Admin from Kettle & Bean. Can I help you pick a plan?';
const REPLY = 'Yes please, which plan suits an office of 12?';

const f = useServer({ env: ADMIN_ENV });

test('"Invite" from the Visitor List shows the custom text in the widget; the reply makes the operator\'s chat', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  // Settings > Appearance > "Chat Invitation Text".
  await nav(op, 'Settings');
  const appearance = op.locator('#appearance');
  await appearance.getByLabel('Chat Invitation Text').fill(TEMPLATE);
  await appearance.getByText(`Preview: ${SHOWN}`).waitFor();
  await appearance.getByRole('button', { name: 'Save invitation text' }).click();
  await appearance.getByText('Saved.').waitFor();

  // The Visitor List is open before the visitor arrives; the row appears live.
  await nav(op, 'Visitor List');
  const grid = op.getByTestId('visitor-list');
  await grid.waitFor();
  await grid.getByText('No visitor is on the site.').waitFor();

  const visCtx = await f.newContext();
  const vis = await openVisitor(visCtx, f.server.base, '/demo/pricing');
  errors.push(...watchErrors(vis, 'widget'));
  const rows = grid.locator('[data-testid^="visitor-row-"]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  const row = rows.first();
  assert.equal(await textOf(row.locator('.page-title')), 'Pricing');
  assert.match(await textOf(row.locator('.page-url')), /\/demo\/pricing$/);
  await row.locator('.cell-status', { hasText: /^Browsing$/ }).waitFor();
  const visitorName = await textOf(row.locator('.cell-name'));
  // The panel is closed: the visitor has not asked for anything yet.
  assert.equal(await vis.getByTestId('od-panel').isVisible().catch(() => false), false);

  await row.getByRole('button', { name: 'Invite' }).click();
  await op.getByText(`Invitation sent to ${visitorName}.`).waitFor();
  await row.locator('.cell-status', { hasText: /^Invited$/ }).waitFor();
  // One invitation at a time.
  assert.equal(await row.getByRole('button', { name: 'Invite' }).isDisabled(), true);

  // The widget pops open with the custom text and the operator's name.
  const invitation = vis.getByTestId('od-invitation');
  await invitation.waitFor({ state: 'visible' });
  await vis.getByTestId('od-panel').waitFor({ state: 'visible' });
  await invitation.getByText(SHOWN, { exact: true }).waitFor();
  await invitation.getByText('Admin', { exact: true }).waitFor();
  await vis.getByTestId('od-dismiss').waitFor();

  // The visitor accepts by replying.
  await visitorSend(vis, REPLY);
  await invitation.waitFor({ state: 'hidden' });
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();
  await vis.getByTestId('od-messages').locator('[data-testid^="od-message-"]', { hasText: REPLY }).waitFor();
  await row.locator('.cell-status', { hasText: /^Chatting with Admin$/ }).waitFor();

  // The admin has the chat: in their chats, started by the invitation, assigned to them, with the reply.
  await nav(op, 'Chats');
  const item = op.getByTestId('my-chats').locator('[data-testid^="chat-item-"]', { hasText: visitorName });
  await item.waitFor();
  assert.equal(await op.getByTestId('tickets').locator('[data-testid^="chat-item-"]').count(), 0, 'not a ticket');
  const chatId = Number((await item.getAttribute('data-testid')).replace('chat-item-', ''));
  await item.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByText('With Admin', { exact: true }).waitFor();
  await pane.getByTestId('routing').locator('.routing-invitation', { hasText: 'Invited by Admin' }).waitFor();
  const messages = pane.getByTestId('messages');
  await messages.locator('.msg-bubble', { hasText: REPLY }).waitFor();
  const bubbles = await messages.locator('.msg-bubble').allTextContents();
  assert.deepEqual(bubbles, [SHOWN, REPLY], 'the invitation text, then the reply');
  await pane.getByLabel('Message').waitFor();

  // The server's record agrees: started by the operator through the invitation.
  const res = await apiGet(op, `${f.server.base}/api/chats/${chatId}`);
  assert.equal(res.status(), 200);
  const { chat } = await res.json();
  assert.equal(chat.started_by, 'operator');
  assert.notEqual(chat.invitation_id, null);
  assert.equal(chat.state, 'active');
  assert.equal(chat.operator.name, 'Admin');

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));

test('a dismissed invitation closes in the widget and the Visitor List row says so', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  await nav(op, 'Visitor List');
  const grid = op.getByTestId('visitor-list');
  await grid.waitFor();
  // Rows already there (the previous test's visitor may not have left yet).
  await op.getByText(/^\d+( of \d+)? on the site$/).waitFor();
  const rowIds = () => grid.locator('[data-testid^="visitor-row-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  const before = new Set(await rowIds());

  const visCtx = await f.newContext();
  const vis = await openVisitor(visCtx, f.server.base, '/demo/pricing');
  errors.push(...watchErrors(vis, 'widget'));
  const id = await waitUntil('the new visitor\'s row', async () => (await rowIds()).find((x) => !before.has(x)));
  const row = grid.getByTestId(id);
  await row.locator('.cell-status', { hasText: /^Browsing$/ }).waitFor();

  await row.getByRole('button', { name: 'Invite' }).click();
  const invitation = vis.getByTestId('od-invitation');
  await invitation.getByText(SHOWN, { exact: true }).waitFor();
  await vis.getByTestId('od-dismiss').click();
  await invitation.waitFor({ state: 'hidden' });
  await row.locator('.cell-status', { hasText: /^Invitation dismissed$/ }).waitFor();
  // No chat came of it.
  await nav(op, 'Chats');
  await op.getByTestId('tickets').getByText('No chat is waiting.').waitFor();

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
