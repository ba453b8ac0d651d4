// After the chat: "Rate this chat" in the widget reaches the operator's
// console and History; the transcript download is the chat as the visitor
// saw it, with times and names, and no private note.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('the visitor rates the chat and downloads its transcript; the operator sees the rating', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext({ acceptDownloads: true });
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'Can I return it?');
  const chatId = await acceptTicket(op, 'Can I return it?');
  const pane = op.getByTestId('chat-pane');
  await operatorSend(op, 'Yes, within 30 days.');
  await vis.getByTestId('od-messages').getByText('Yes, within 30 days.').waitFor();
  await pane.getByRole('button', { name: 'Add a private note' }).click();
  await pane.getByLabel('Private note (only operators see it)').fill('PRIVATE: frequent returner');
  await pane.getByRole('button', { name: 'Add note' }).click();
  await pane.locator('.msg-private', { hasText: 'PRIVATE' }).waitFor();

  // The visitor ends the chat: the widget asks for a rating.
  await vis.getByTestId('od-cancel').click();
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
  const rate = vis.getByTestId('od-rate');
  await rate.getByText('Rate this chat').waitFor();
  await vis.getByTestId('od-rate-good').click();
  await vis.getByTestId('od-rate-comment').fill('Quick and clear');
  await vis.getByTestId('od-rate-send').click();
  await vis.getByTestId('od-rated').waitFor({ state: 'visible' });

  // The operator's console shows it under the ended chat, and so does History.
  const shown = pane.getByTestId('chat-ended').getByTestId('chat-rating');
  await shown.waitFor();
  assert.match(await textOf(shown), /Good/);
  assert.match(await textOf(shown), /Quick and clear/);
  await nav(op, 'History');
  const histRow = op.getByTestId('history').getByTestId(`history-chat-${chatId}`);
  await histRow.getByTestId('cell-rating').getByText('Good').waitFor();
  // the Rating filter: "Bad" leaves the chat out, "Good" keeps it
  await op.getByLabel('Rating').selectOption('bad');
  await op.getByRole('button', { name: 'Search' }).click();
  await histRow.waitFor({ state: 'detached' });
  await op.getByLabel('Rating').selectOption('good');
  await op.getByRole('button', { name: 'Search' }).click();
  await histRow.getByRole('button').first().click();
  const kept = op.getByTestId('history-detail').getByTestId('chat-rating');
  await kept.waitFor();
  assert.match(await textOf(kept), /Good.*Quick and clear/);

  // Reports count it.
  await nav(op, 'Reports');
  await op.getByTestId('report-rated-good').getByText('1', { exact: true }).waitFor();
  assert.equal(await textOf(op.getByTestId('report-rated-bad').locator('td')), '0');

  // The transcript: every line with its time and name; no private note.
  const [download] = await Promise.all([vis.waitForEvent('download'), vis.getByTestId('od-transcript').click()]);
  assert.equal(download.suggestedFilename(), `chat-${chatId}.txt`);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], `Chat with us: transcript of chat ${chatId}`);
  const stamp = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d\] `;
  assert.match(lines[2], new RegExp(`^${stamp}You: Can I return it\\?$`));
  assert.match(lines[3], new RegExp(`^${stamp}Admin: Yes, within 30 days\\.$`));
  assert.match(lines[lines.length - 1], new RegExp(`^${stamp}Chat Ended$`));
  assert.doesNotMatch(text, /PRIVATE/);

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
