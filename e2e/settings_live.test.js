// Settings follow another admin's changes: a console showing Settings gets
// settings.changed from the server (whichever node the change was made on)
// and reads the settings and rules again, without a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, ADMIN_ENV, loginConsole, nav, useServer, waitUntil, watchErrors, withServerLog } from './harness.js';

const f = useServer({ env: ADMIN_ENV });

test("a second console's Settings follow another admin's changes without a reload", withServerLog(async () => {
  const one = await (await f.newContext()).newPage();
  const two = await (await f.newContext()).newPage();
  const errors = [...watchErrors(one, 'console one'), ...watchErrors(two, 'console two')];
  await loginConsole(one, f.server.base, ADMIN.email, ADMIN.password);
  await loginConsole(two, f.server.base, ADMIN.email, ADMIN.password);

  await nav(two, 'Settings');
  const automaticOnTwo = two.locator('#chat-rule').getByLabel('Automatic', { exact: true });
  await automaticOnTwo.waitFor();
  assert.equal(await automaticOnTwo.isChecked(), false);

  await nav(one, 'Settings');
  const chatRule = one.locator('#chat-rule');
  await chatRule.getByLabel('Automatic', { exact: true }).check();
  await chatRule.getByText('Saved.').waitFor();
  await waitUntil('console two to show the Automatic chat rule', () => automaticOnTwo.isChecked());

  const rules = one.locator('#action-rules');
  await rules.getByRole('button', { name: 'Add a routing rule' }).click();
  const form = rules.getByRole('form', { name: 'New routing rule' });
  await form.getByLabel('Rule name').fill('Pricing page');
  await form.getByLabel('Condition 1 field').selectOption('url');
  await form.getByLabel('Condition 1 operator').selectOption('contains');
  await form.getByLabel('Condition 1 value').fill('/pricing');
  await form.getByLabel('Route to operator').selectOption({ index: 0 });
  await form.getByRole('button', { name: 'Save rule' }).click();
  await form.waitFor({ state: 'detached' });
  await two.locator('#action-rules').getByTestId('action-rules').getByText('Pricing page').waitFor();

  assert.deepEqual(errors, []);
}));
