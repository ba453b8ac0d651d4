// "Canned Replies": the admin adds a shared reply and an operator a
// personal one in Settings > "Canned Replies"; in a chat, "/" in the
// message box opens the list, typing filters it, arrows move, Escape
// closes it, Enter inserts the reply with {visitor} and {operator} filled
// in, and the sent reply reaches the widget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  apiGet,
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

// No --demo: the chat rule is Manual, so the visitor's chat is a ticket
// the operator accepts.
const f = useServer({ env: ADMIN_ENV });

const ANNA = { name: 'Anna Berg', email: 'anna@example.com', password: 'anna-password-1' };
const SHARED = { shortcut: 'ship', text: 'Hi {visitor}, we ship within 2 days. {operator}' };
const PERSONAL = { shortcut: 'thanks', text: 'Thank you, {visitor}! Kind regards, {operator}' };

async function addAnna(admin) {
  await nav(admin, 'Operators');
  await admin.getByRole('button', { name: 'Add operator' }).click();
  const form = admin.getByRole('form', { name: 'Add operator' });
  await form.getByLabel('Name').fill(ANNA.name);
  await form.getByLabel('Email').fill(ANNA.email);
  await form.getByLabel('Password').fill(ANNA.password);
  await form.getByLabel('Role').selectOption({ label: 'Operator' });
  await form.getByRole('button', { name: 'Add operator' }).click();
  await form.waitFor({ state: 'detached' });
}

// addReply fills Settings > "Canned Replies" > "Add a canned reply".
async function addReply(page, { shortcut, text }, shared) {
  await nav(page, 'Settings');
  const section = page.locator('#canned-replies');
  await section.getByRole('button', { name: 'Add a canned reply' }).click();
  const form = section.getByRole('form', { name: 'New canned reply' });
  await form.getByLabel('Shortcut').fill(shortcut);
  await form.getByLabel('Text').fill(text);
  if (shared) await form.getByLabel('Shared with every operator').check();
  await form.getByRole('button', { name: 'Save canned reply' }).click();
  await form.waitFor({ state: 'detached' });
  const row = section.getByTestId('canned-replies').getByRole('row').filter({ hasText: `/${shortcut}` });
  await row.waitFor();
  return row;
}

test('shared and personal canned replies, inserted with / and filled in, reach the widget', withServerLog(async () => {
  const adminCtx = await f.newContext();
  const annaCtx = await f.newContext();
  const visCtx = await f.newContext();
  const admin = await adminCtx.newPage();
  const errors = watchErrors(admin, 'admin console');
  await loginConsole(admin, f.server.base, ADMIN.email, ADMIN.password);
  await addAnna(admin);

  // The admin's shared reply.
  const sharedRow = await addReply(admin, SHARED, true);
  assert.deepEqual((await sharedRow.getByRole('cell').allTextContents()).slice(0, 3), [`/${SHARED.shortcut}`, SHARED.text, 'Shared']);

  // Anna sees it read-only, and adds her own.
  const anna = await annaCtx.newPage();
  errors.push(...watchErrors(anna, 'operator console'));
  await loginConsole(anna, f.server.base, ANNA.email, ANNA.password);
  await nav(anna, 'Settings');
  const annaShared = anna.locator('#canned-replies').getByRole('row').filter({ hasText: `/${SHARED.shortcut}` });
  await annaShared.getByText('Read-only').waitFor();
  assert.equal(await annaShared.getByRole('button').count(), 0, 'an operator cannot edit or delete a shared reply');
  const personalRow = await addReply(anna, PERSONAL, false);
  assert.deepEqual((await personalRow.getByRole('cell').allTextContents()).slice(0, 3), [`/${PERSONAL.shortcut}`, PERSONAL.text, 'Personal']);

  // A visitor's chat, accepted by Anna.
  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'Hello, when do you ship?');
  await nav(anna, 'Chats');
  const ticket = anna.getByTestId('tickets').locator('[data-testid^="chat-item-"]');
  await ticket.first().waitFor();
  const chatId = Number((await ticket.first().getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.first().getByRole('link').click();
  const pane = anna.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  const box = pane.getByLabel('Message');
  await box.waitFor();
  const chat = await (await apiGet(anna, `${f.server.base}/api/chats/${chatId}`)).json();
  const visitorName = chat.chat.visitor.name;
  assert.ok(visitorName, 'the chat names its visitor');

  // "/" opens the list with both replies; ↓ moves; Escape closes it.
  const list = pane.getByRole('listbox', { name: 'Canned replies' });
  const options = list.getByRole('option');
  await box.click();
  await box.pressSequentially('/');
  await list.waitFor();
  await waitUntil('both replies listed', async () => (await options.count()) === 2);
  const selected = list.getByRole('option', { selected: true });
  assert.equal(await selected.count(), 1);
  const first = await selected.getAttribute('id');
  assert.equal(await box.getAttribute('aria-activedescendant'), first, 'the message box points at the active option');
  await box.press('ArrowDown');
  await waitUntil('the second option active', async () => (await box.getAttribute('aria-activedescendant')) !== first);
  assert.equal(await selected.getAttribute('id'), await box.getAttribute('aria-activedescendant'));
  await box.press('Escape');
  await list.waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), '/', 'Escape closes the list and keeps the text');
  await box.fill('');

  // Typing filters by shortcut and by text.
  await box.pressSequentially('/than');
  await waitUntil('only /thanks left', async () => (await options.allTextContents()).join('|') === `/${PERSONAL.shortcut}${PERSONAL.text}`);
  await box.fill('');
  await box.pressSequentially('/2 days');
  await waitUntil('only /ship left (its text matches)', async () => (await options.count()) === 1 && (await textOf(options.first())).startsWith(`/${SHARED.shortcut}`));
  assert.match(await textOf(options.first()), /Shared/);

  // Enter inserts the shared reply, filled in; Enter again sends it.
  await box.press('Enter');
  await list.waitFor({ state: 'detached' });
  const filled = `Hi ${visitorName}, we ship within 2 days. ${ANNA.name}`;
  assert.equal(await box.inputValue(), filled);
  await box.press('Enter');
  await pane.getByTestId('messages').getByText(filled, { exact: true }).waitFor();
  await vis.getByTestId('od-messages').getByText(filled).waitFor();

  // After text already typed, the personal one: "/" after a space.
  await box.pressSequentially('Sure. /thanks');
  await waitUntil('only /thanks listed', async () => (await options.count()) === 1);
  await box.press('Enter');
  const thanks = `Sure. Thank you, ${visitorName}! Kind regards, ${ANNA.name}`;
  await waitUntil('the reply inserted after the typed text', async () => (await box.inputValue()) === thanks);
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await vis.getByTestId('od-messages').getByText(thanks).waitFor();

  assert.deepEqual(errors, []);
}));
