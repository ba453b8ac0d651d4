// A private note: the operator adds it in the chat, it is marked "Private
// note" in the console and in History, and it never reaches the widget.
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
  operatorSend,
  textOf,
  useServer,
  visitorSend,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

test('a private note is shown to operators, marked, and never to the visitor', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'Where is my order?');
  const chatId = await acceptTicket(op, 'Where is my order?');
  const pane = op.getByTestId('chat-pane');

  const NOTE = 'VIP customer: refund approved by Lisa';
  await pane.getByRole('button', { name: 'Add a private note' }).click();
  await pane.getByLabel('Private note (only operators see it)').fill(NOTE);
  await pane.getByRole('button', { name: 'Add note' }).click();
  const note = pane.getByTestId('messages').locator('.msg-private', { hasText: NOTE });
  await note.waitFor();
  assert.match(await textOf(note), /^Private note/);

  // A message written after the note reaches the widget; the note does not.
  await operatorSend(op, 'Your order ships today.');
  await vis.getByTestId('od-messages').getByText('Your order ships today.').waitFor();
  assert.equal(await vis.getByTestId('od-messages').getByText(NOTE).count(), 0, 'the note reached the widget');
  // Nor on the visitor's next page, which reads the whole transcript again.
  await vis.reload();
  await vis.getByTestId('od-panel').waitFor({ state: 'visible' }); // it was open: it opens again
  await vis.getByTestId('od-messages').getByText('Your order ships today.').waitFor();
  assert.equal(await vis.getByText(NOTE).count(), 0, 'the note came back with the transcript');

  // History shows it, marked, once the chat has ended.
  await pane.getByRole('button', { name: 'Cancel' }).click();
  const confirm = pane.getByRole('button', { name: 'End chat' });
  if (await confirm.count()) await confirm.click(); // the end is confirmed where the console asks
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
  await nav(op, 'History');
  await op.getByTestId('history').getByTestId(`history-chat-${chatId}`).getByRole('button').first().click();
  const kept = op.getByTestId('history-detail').locator('.msg-private', { hasText: NOTE });
  await kept.waitFor();
  assert.match(await textOf(kept), /^Private note/);

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
