// Settings > Appearance > "Pre-chat form": the widget asks before the first
// message, each field as set (off, optional, required); the name and
// email reach the console, the question is the first message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  nav,
  openVisitor,
  openWidget,
  textOf,
  useServer,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

// savedBy clicks a Settings save button and waits for the server to take
// the change (the PATCH's answer), not for a "Saved" text that a reload of
// the settings, which the change itself sets off, may replace.
async function savedBy(page, click) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'PATCH'),
    click(),
  ]);
  assert.equal(res.status(), 200, await res.text());
}

async function setPreChat(op, name, email, question) {
  await nav(op, 'Settings');
  await op.getByLabel('Name', { exact: true }).selectOption(name);
  await op.getByLabel('Email', { exact: true }).selectOption(email);
  await op.getByLabel('First question').selectOption(question);
  await savedBy(op, () => op.getByRole('button', { name: 'Save pre-chat form' }).click());
}

test('the pre-chat form: each field off, optional or required; the name reaches the console', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  // Off everywhere (the default): no form, the message box at once.
  let visCtx = await f.newContext();
  let vis = await openVisitor(visCtx, f.server.base, '/demo/');
  await openWidget(vis);
  await vis.getByTestId('od-input').waitFor({ state: 'visible' });
  assert.equal(await vis.getByTestId('od-prechat').isVisible(), false);
  await visCtx.close();

  // Name required, email optional, question off.
  await setPreChat(op, 'required', 'optional', 'off');
  visCtx = await f.newContext();
  vis = await openVisitor(visCtx, f.server.base, '/demo/');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  const form = vis.getByTestId('od-prechat');
  await form.waitFor({ state: 'visible' });
  assert.equal(await vis.getByTestId('od-input').isVisible(), false, 'the message box shows before the form is done');
  assert.equal(await vis.getByTestId('od-prechat-question').isVisible(), false, 'an off field is asked');
  assert.match(await textOf(form.locator('label').nth(1)), /^Email \(optional\)/);
  // Required is required; a bad email is refused; both say why.
  await vis.getByTestId('od-prechat-start').click();
  await vis.getByTestId('od-error').getByText('Please fill in Name.').waitFor();
  await vis.getByTestId('od-prechat-name').fill('Grace Hopper');
  await vis.getByTestId('od-prechat-email').fill('grace@');
  await vis.getByTestId('od-prechat-start').click();
  await vis.getByTestId('od-error').getByText('Please give an email address such as name@example.com.').waitFor();
  await vis.getByTestId('od-prechat-email').fill('grace@example.com');
  await vis.getByTestId('od-prechat-start').click();
  await vis.getByTestId('od-input').waitFor({ state: 'visible' });
  await nav(op, 'Visitor List');
  await op.getByTestId('visitor-list').locator('.cell-name', { hasText: 'Grace Hopper' }).waitFor();
  await visCtx.close();

  // The question asked too: it becomes the first message of the ticket.
  await setPreChat(op, 'optional', 'off', 'required');
  visCtx = await f.newContext();
  vis = await openVisitor(visCtx, f.server.base, '/demo/');
  await openWidget(vis);
  await vis.getByTestId('od-prechat').waitFor({ state: 'visible' });
  assert.equal(await vis.getByTestId('od-prechat-email').isVisible(), false);
  await vis.getByTestId('od-prechat-name').fill('Alan Turing');
  await vis.getByTestId('od-prechat-question').fill('Do you ship to Manchester?');
  await vis.getByTestId('od-prechat-start').click();
  await vis.getByTestId('od-messages').getByText('Do you ship to Manchester?').waitFor();
  await nav(op, 'Chats');
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: 'Do you ship to Manchester?' });
  await ticket.waitFor();
  assert.match(await textOf(ticket.locator('.visitor-name')), /^Alan Turing$/);
  await visCtx.close();

  // The email given shows on the chat.
  await setPreChat(op, 'optional', 'required', 'off');
  visCtx = await f.newContext();
  vis = await openVisitor(visCtx, f.server.base, '/demo/');
  await openWidget(vis);
  await vis.getByTestId('od-prechat-email').fill('mary@example.com');
  await vis.getByTestId('od-prechat-start').click();
  await vis.getByTestId('od-input').waitFor({ state: 'visible' });
  await vis.getByTestId('od-input').fill('Hello from Mary');
  await vis.getByTestId('od-send').click();
  await nav(op, 'Chats');
  const mary = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: 'Hello from Mary' });
  await mary.waitFor();
  await mary.getByRole('link').click();
  assert.equal(await textOf(op.getByTestId('chat-pane').getByTestId('visitor-email')), 'mary@example.com');

  assert.deepEqual(errors, []);
  await visCtx.close();
  await opCtx.close();
}));
