// "Reports" over a known history made in this test (history_seed.js):
// three chats today, one missed, two accepted by Admin, one answered.
// Counts are checked exactly; the percentiles against each chat's own
// times from the REST API (nearest rank: p50 and p90 are chats' values).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, ADMIN_ENV, apiGet, loginConsole, nav, textOf, useServer, watchErrors, withServerLog } from './harness.js';
import { chatOf, formatSeconds, seedHistory } from './history_seed.js';

const f = useServer({ env: ADMIN_ENV });

function nearestRank(values, p) {
  const v = values.filter((x) => x !== null).sort((x, y) => x - y);
  return v[Math.ceil((p * v.length) / 100) - 1];
}

test('Reports shows the seeded history\'s numbers in tables, and the API the same', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  const visitors = [];
  const newVisitor = async () => {
    const ctx = await f.newContext();
    visitors.push(ctx);
    return ctx;
  };
  const { a, b, c } = await seedHistory(op, f.server.base, newVisitor, { withC: true });
  const chats = [];
  for (const id of [a, b, c]) chats.push(await chatOf(op, f.server.base, id));

  // the browser's own day and hours (the console sends its time zone)
  const local = await op.evaluate((times) => {
    const pad = (n) => String(n).padStart(2, '0');
    const d = new Date();
    return {
      today: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
      hours: times.map((t) => new Date(t).getHours()),
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }, chats.map((ch) => ch.created_at));

  await nav(op, 'Reports');
  const report = op.getByTestId('report');
  await report.waitFor();
  assert.equal(await report.getAttribute('data-to'), local.today, 'the default period ends today');
  assert.equal(await op.getByTestId('report-days').locator('tbody tr').count(), 7, 'the default period is 7 days');

  const cell = (testid, n = 0) => op.getByTestId(testid).locator('td').nth(n);
  assert.equal(await textOf(cell('report-chats')), '3');
  assert.equal(await textOf(cell('report-missed')), '1');
  const today = op.getByTestId(`report-day-${local.today}`);
  assert.deepEqual([await textOf(today.locator('td').nth(0)), await textOf(today.locator('td').nth(1))], ['3', '1']);

  const ops = op.getByTestId('report-operators').locator('tbody tr');
  assert.equal(await ops.count(), 1);
  assert.equal(await textOf(ops.first().locator('th')), 'Admin');
  assert.equal(await textOf(ops.first().locator('td')), '2');

  const perHour = new Array(24).fill(0);
  for (const h of local.hours) perHour[h]++;
  for (let h = 0; h < 24; h++) {
    assert.equal(await textOf(cell(`report-hour-${h}`)), String(perHour[h]), `chats started at ${h}:00`);
  }

  for (const [testid, member, n] of [
    ['report-wait', 'wait_seconds', 2],
    ['report-first-response', 'first_response_seconds', 1],
    ['report-duration', 'duration_seconds', 3],
  ]) {
    const values = chats.map((ch) => ch[member]);
    assert.equal(values.filter((v) => v !== null).length, n, `${member} of ${values}`);
    assert.deepEqual(
      [await textOf(cell(testid, 0)), await textOf(cell(testid, 1)), await textOf(cell(testid, 2))],
      [formatSeconds(nearestRank(values, 50)), formatSeconds(nearestRank(values, 90)), String(n)],
      testid,
    );
  }

  // the same numbers through the REST API
  const res = await apiGet(op, `${f.server.base}/api/reports?from=${local.today}&to=${local.today}&tz=${encodeURIComponent(local.zone)}`);
  assert.equal(res.status(), 200);
  const api = await res.json();
  assert.equal(api.chats, 3);
  assert.equal(api.missed, 1);
  assert.deepEqual(api.per_day, [{ date: local.today, chats: 3, missed: 1 }]);
  assert.deepEqual(api.per_hour, perHour);
  assert.equal(api.per_operator[0].chats, 2);
  assert.equal(api.duration.p90_seconds, nearestRank(chats.map((ch) => ch.duration_seconds), 90));

  // a period with none of them: zeros, and "—" for the times
  await op.getByLabel('From', { exact: true }).fill('2020-01-01');
  await op.getByLabel('To', { exact: true }).fill('2020-01-03');
  await op.getByRole('button', { name: 'Show' }).click();
  await op.locator('[data-testid="report"][data-from="2020-01-01"]').waitFor();
  assert.equal(await textOf(cell('report-chats')), '0');
  assert.equal(await textOf(cell('report-wait', 0)), '—');

  assert.deepEqual(errors, []);
  for (const ctx of visitors) await ctx.close();
  await opCtx.close();
}));
