// "Leave a message": with no operator Online the widget offers it instead
// of a chat nobody would answer; the message is mailed to Settings'
// notification address (received here by a real SMTP server, the
// smtp-server package) and listed in the console under "Offline messages"
// with its page and time, where an operator marks it "Handled". When an
// operator comes Online the widget offers the chat again, live.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import {
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  nav,
  openVisitor,
  openWidget,
  textOf,
  useServer,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const mails = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, done) {
    let data = '';
    stream.on('data', (c) => (data += c));
    stream.on('end', () => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
      done();
    });
  },
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
after(() => smtp.close());

const f = useServer({
  env: ADMIN_ENV,
  args: ['--smtp-url', `smtp://127.0.0.1:${smtp.server.address().port}?from=desk@example.com`],
});

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

test('"Leave a message" while nobody is Online: mailed, listed and handled in the console', withServerLog(async () => {
  // The admin sets the notification address, then goes Away: nobody is Online.
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  await nav(op, 'Settings');
  await op.getByLabel('Email each offline message to').fill('team@example.com');
  await savedBy(op, () => op.getByRole('button', { name: 'Save address' }).click());
  await op.getByTestId('status').selectOption('Away');

  const visCtx = await f.newContext();
  const vis = await openVisitor(visCtx, f.server.base, '/demo/pricing');
  errors.push(...watchErrors(vis, 'widget'));
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

  // The test's SMTP server receives it, for the notification address.
  const mail = await waitUntil('the offline message by mail', async () => mails.find((m) => m.to.includes('team@example.com')));
  assert.match(mail.data, /Please call me about the Pro plan <b>soon<\/b>/);
  assert.match(mail.data, /Reply to: ann@example\.com/);
  assert.match(mail.data, /\/demo\/pricing/);

  // The admin comes back Online: an open widget offers the chat again, live.
  const vis2Ctx = await f.newContext();
  const vis2 = await openVisitor(vis2Ctx, f.server.base, '/demo/');
  await openWidget(vis2);
  await vis2.getByTestId('od-offline').waitFor({ state: 'visible' });
  await op.getByTestId('status').selectOption('Online');
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
