// "Leave a message": with no operator Online the widget offers it instead
// of a chat nobody would answer; the console lists it under "Offline
// messages" with its page and time, and an operator marks it "Handled".
// When an operator comes Online the widget offers the chat again, live.
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

test('"Leave a message" while nobody is Online, listed and handled in the console', withServerLog(async () => {
  const visCtx = await f.newContext();
  const vis = await openVisitor(visCtx, f.server.base, '/demo/pricing');
  const errors = watchErrors(vis, 'widget');
  await openWidget(vis);
  const form = vis.getByTestId('od-offline');
  await form.waitFor({ state: 'visible' });
  assert.equal(await vis.getByTestId('od-input').isVisible(), false, 'a chat is offered with nobody Online');
  await vis.getByTestId('od-offline-send').click();
  await vis.getByTestId('od-error').getByText('Please give an email address such as name@example.com.').waitFor();
  await vis.getByTestId('od-offline-name').fill('Ann Lee');
  await vis.getByTestId('od-offline-email').fill('ann@example.com');
  await vis.getByTestId('od-offline-message').fill('Please call me about the Pro plan <b>soon</b>');
  await vis.getByTestId('od-offline-send').click();
  await vis.getByTestId('od-offline-sent').waitFor({ state: 'visible' });

  // A second visitor's widget, open while the admin logs in: it offers the
  // chat as soon as an operator is Online.
  const vis2Ctx = await f.newContext();
  const vis2 = await openVisitor(vis2Ctx, f.server.base, '/demo/');
  await openWidget(vis2);
  await vis2.getByTestId('od-offline').waitFor({ state: 'visible' });

  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  errors.push(...watchErrors(op, 'console'));
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  await vis2.getByTestId('od-input').waitFor({ state: 'visible' });
  assert.equal(await vis2.getByTestId('od-offline').isVisible(), false);

  await nav(op, 'Offline messages');
  const row = op.getByTestId('offline-messages').locator('[data-testid^="offline-message-"]').first();
  await row.waitFor();
  const text = await textOf(row);
  assert.match(text, /Ann Lee/);
  assert.match(text, /ann@example\.com/);
  assert.match(text, /Please call me about the Pro plan <b>soon<\/b>/, 'the message is shown as text');
  assert.match(text, /Pricing/, 'the page it was left on');
  assert.equal(await row.locator('b').count(), 0, 'visitor text became markup');
  await row.getByRole('button', { name: 'Handled' }).click();
  await row.getByText('Handled by Admin').waitFor();

  assert.deepEqual(errors, []);
  for (const c of [visCtx, vis2Ctx, opCtx]) await c.close();
}));
