// History tells each chat's story: operator, who ended it and why, wait,
// first response and duration; a filter narrows the rows; "Download CSV"
// gives exactly the rows shown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ADMIN, ADMIN_ENV, loginConsole, nav, textOf, useServer, watchErrors, withServerLog } from './harness.js';
import { chatOf, formatSeconds, parseCSV, seedHistory } from './history_seed.js';

const f = useServer({ env: ADMIN_ENV });

const rows = (op) => op.getByTestId('history').locator('tbody [data-testid^="history-chat-"]');

async function shownIds(op) {
  const ids = [];
  for (const r of await rows(op).all()) ids.push(Number((await r.getAttribute('data-testid')).replace('history-chat-', '')));
  return ids;
}

async function downloadCSV(op) {
  const [download] = await Promise.all([op.waitForEvent('download'), op.getByTestId('history-csv').click()]);
  assert.match(download.suggestedFilename(), /^chats-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCSV(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(rows[0].slice(0, 1), ['id']);
  const col = (name) => rows[0].indexOf(name);
  return rows.slice(1).map((r) => ({ id: Number(r[col('id')]), operator: r[col('operator')], endedBy: r[col('ended_by')], wait: r[col('wait_seconds')] }));
}

test('History rows tell how each chat went; a filter narrows them; the CSV has exactly the rows shown', withServerLog(async () => {
  const opCtx = await f.newContext({ acceptDownloads: true });
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  const visitors = [];
  const newVisitor = async () => {
    const ctx = await f.newContext();
    visitors.push(ctx);
    return ctx;
  };
  const { a, b } = await seedHistory(op, f.server.base, newVisitor);

  await nav(op, 'History');
  const rowA = op.getByTestId(`history-chat-${a}`);
  const rowB = op.getByTestId(`history-chat-${b}`);
  await rowA.waitFor();
  await rowB.waitFor();
  assert.deepEqual(await shownIds(op), [b, a]);

  // each row against the chat's own times from the API
  for (const [row, id, operator, endedBy] of [
    [rowA, a, 'Admin', 'Ended by Admin'],
    [rowB, b, 'None', 'Ended by the visitor'],
  ]) {
    const chat = await chatOf(op, f.server.base, id);
    assert.equal(await textOf(row.locator('td').nth(2)), operator);
    assert.equal(await textOf(row.getByTestId('cell-ended-by')), endedBy);
    assert.equal(await textOf(row.getByTestId('cell-wait')), formatSeconds(chat.wait_seconds));
    assert.equal(await textOf(row.getByTestId('cell-response')), formatSeconds(chat.first_response_seconds));
    assert.equal(await textOf(row.getByTestId('cell-duration')), formatSeconds(chat.duration_seconds));
    assert.notEqual(chat.duration_seconds, null);
  }
  const chatA = await chatOf(op, f.server.base, a);
  assert.notEqual(chatA.wait_seconds, null, 'A was accepted: it has a wait');
  assert.notEqual(chatA.first_response_seconds, null, 'A was answered: it has a first response');
  assert.equal(await textOf(rowB.getByTestId('cell-wait')), '—', 'B was never accepted');

  // the CSV of the unfiltered list: both rows, as shown
  let csv = await downloadCSV(op);
  assert.deepEqual(csv.map((r) => r.id), await shownIds(op));
  assert.deepEqual(csv.map((r) => r.endedBy), ['Ended by the visitor', 'Ended by Admin']);
  assert.deepEqual(csv.map((r) => r.operator), ['', 'Admin']);
  assert.deepEqual(csv.map((r) => r.wait), ['', String(chatA.wait_seconds)]);

  // "Ended: By an operator" narrows the list to A
  await op.getByLabel('Ended').selectOption({ label: 'By an operator' });
  await op.getByRole('button', { name: 'Search' }).click();
  await rowB.waitFor({ state: 'detached' });
  await rowA.waitFor();
  assert.deepEqual(await shownIds(op), [a]);
  csv = await downloadCSV(op);
  assert.deepEqual(csv.map((r) => r.id), [a]);

  // "Missed (never answered)" is B alone
  await op.getByLabel('Ended').selectOption({ label: 'Missed (never answered)' });
  await op.getByRole('button', { name: 'Search' }).click();
  await rowA.waitFor({ state: 'detached' });
  await rowB.waitFor();
  assert.deepEqual(await shownIds(op), [b]);
  csv = await downloadCSV(op);
  assert.deepEqual(csv.map((r) => r.id), [b]);

  assert.deepEqual(errors, []);
  for (const ctx of visitors) await ctx.close();
  await opCtx.close();
}));
