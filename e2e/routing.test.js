// The seed's routing example, set up entirely through the console: John
// Mathews (priority 1, chat limit 2) is added in "Operators", the admin picks
// the "Automatic" chat rule and adds the action rule "Product page" (URL
// contains /product → John Mathews). Chats from the product page go to John
// with the reason shown; the rule tester says the same. When John is at his
// limit, the next product-page chat goes to another operator by the chat rule.
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
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const JOHN = { name: 'John Mathews', email: 'john@example.com', password: 'john-password-1' };
const RULE_TEXT = 'Routed to John Mathews by action rule “Product page”';

const f = useServer({ env: ADMIN_ENV });

async function addJohn(admin) {
  await nav(admin, 'Operators');
  await admin.getByRole('button', { name: 'Add operator' }).click();
  const form = admin.getByRole('form', { name: 'Add operator' });
  await form.getByLabel('Name').fill(JOHN.name);
  await form.getByLabel('Email').fill(JOHN.email);
  await form.getByLabel('Password').fill(JOHN.password);
  await form.getByLabel('Role').selectOption({ label: 'Operator' });
  await form.getByLabel('Priority level').fill('1');
  await form.getByLabel('Chat limit').fill('2');
  await form.getByRole('button', { name: 'Add operator' }).click();
  await form.waitFor({ state: 'detached' });
  const row = admin.getByTestId('operators').getByRole('row').filter({ hasText: JOHN.email });
  await row.waitFor();
  const cells = await row.getByRole('cell').allTextContents();
  assert.deepEqual(cells.slice(0, 5), [JOHN.name, JOHN.email, 'Operator', '1', '2']);
  return row;
}

async function setUpRouting(admin) {
  await nav(admin, 'Settings');
  const chatRule = admin.locator('#chat-rule');
  await chatRule.getByLabel('Automatic', { exact: true }).check();
  await chatRule.getByText('Saved.').waitFor();

  const rules = admin.locator('#action-rules');
  await rules.getByRole('button', { name: 'Add a routing rule' }).click();
  const form = rules.getByRole('form', { name: 'New routing rule' });
  await form.getByLabel('Rule name').fill('Product page');
  await form.getByLabel('Condition 1 field').selectOption('url');
  await form.getByLabel('Condition 1 operator').selectOption('contains');
  await form.getByLabel('Condition 1 value').fill('/product');
  await form.getByLabel('Route to operator').selectOption({ label: JOHN.name });
  await form.getByRole('button', { name: 'Save rule' }).click();
  await form.waitFor({ state: 'detached' });
  const row = rules.getByTestId('action-rules').locator('[data-testid^="action-rule-"]', { hasText: 'Product page' });
  await row.waitFor();
  assert.match(await textOf(row), /\/product/);
  assert.match(await textOf(row), /John Mathews/);

  // Reload: both settings were stored, not just shown.
  await admin.reload();
  await admin.locator('.conn', { hasText: 'Connected' }).waitFor();
  await admin.locator('#chat-rule').waitFor();
  assert.equal(await admin.locator('#chat-rule').getByLabel('Automatic', { exact: true }).isChecked(), true);
  await admin.locator('#action-rules').getByTestId('action-rules').getByText('Product page').waitFor();
}

async function ruleTest(admin, url) {
  const tester = admin.locator('#action-rules').getByRole('form', { name: 'Rule tester' });
  await tester.getByLabel('Page URL').fill(url);
  const result = admin.getByTestId('rule-test-result');
  // Clear any earlier answer's identity: wait for the new answer by its contents.
  await tester.getByRole('button', { name: 'Test', exact: true }).click();
  await result.waitFor();
  return result;
}

// startChat opens the product page in a fresh visitor context and writes.
async function startChat(base, body) {
  const ctx = await f.newContext();
  const page = await openVisitor(ctx, base, '/demo/product');
  await openWidget(page);
  await visitorSend(page, body);
  return { ctx, page };
}

test('a product-page chat goes to John by the action rule; the rule tester agrees; at his limit the chat rule decides', withServerLog(async () => {
  const adminCtx = await f.newContext();
  const admin = await adminCtx.newPage();
  const errors = watchErrors(admin, 'admin console');
  await loginConsole(admin, f.server.base, ADMIN.email, ADMIN.password);

  const johnRow = await addJohn(admin);
  await setUpRouting(admin);

  // John logs in elsewhere; the admin sees him come Online.
  const johnCtx = await f.newContext();
  const john = await johnCtx.newPage();
  errors.push(...watchErrors(john, 'john console'));
  await loginConsole(john, f.server.base, JOHN.email, JOHN.password);
  assert.equal(await john.getByTestId('status').inputValue(), 'Online');
  await nav(admin, 'Operators');
  await johnRow.getByRole('cell', { name: 'Online' }).waitFor();

  // A visitor on the product page starts a chat: it is John's.
  const v1 = await startChat(f.server.base, 'Which grind for a V60?');
  errors.push(...watchErrors(v1.page, 'visitor 1'));
  const item = john.getByTestId('my-chats').locator('[data-testid^="chat-item-"]', { hasText: 'Which grind for a V60?' });
  await item.waitFor();
  await item.getByRole('link').click();
  const routing = john.getByTestId('chat-pane').getByTestId('routing');
  await routing.waitFor();
  assert.deepEqual(await routing.locator('.routing-text').allTextContents(), [RULE_TEXT]);
  await john.getByTestId('chat-pane').getByText('With John Mathews').waitFor();
  await v1.page.getByTestId('od-panel').getByText('Chatting with John Mathews').waitFor();
  // Not a ticket for anyone.
  assert.equal(await admin.getByTestId('tickets').locator('[data-testid^="chat-item-"]').count(), 0);

  // The rule tester, for the product page's URL, gives the same answer.
  await nav(admin, 'Settings');
  let result = await ruleTest(admin, `${f.server.base}/demo/product`);
  await result.getByText(RULE_TEXT, { exact: true }).waitFor();
  assert.match(await textOf(result.locator('.test-operator')), /Operator:\s*John Mathews/);

  // A second product-page chat still fits John's limit of 2.
  const v2 = await startChat(f.server.base, 'Do you ship to Norway?');
  await john
    .getByTestId('my-chats')
    .locator('[data-testid^="chat-item-"]', { hasText: 'Do you ship to Norway?' })
    .waitFor();
  await waitUntil('John to have 2 chats', async () => (await john.getByTestId('my-chats').locator('[data-testid^="chat-item-"]').count()) === 2);

  // John is at his limit: the tester and the third chat both go to the
  // chat rule (Automatic), which picks the admin and says why John was passed over.
  result = await ruleTest(admin, `${f.server.base}/demo/product`);
  await result.getByText('John Mathews: at chat limit 2/2').waitFor();
  assert.match(await textOf(result.locator('.test-operator')), /Operator:\s*Admin/);

  const v3 = await startChat(f.server.base, 'Is the 1 kg bag fresh?');
  await nav(admin, 'Chats');
  const third = admin.getByTestId('my-chats').locator('[data-testid^="chat-item-"]', { hasText: 'Is the 1 kg bag fresh?' });
  await third.waitFor();
  await third.getByRole('link').click();
  const thirdRouting = admin.getByTestId('chat-pane').getByTestId('routing');
  await thirdRouting.getByText('John Mathews: at chat limit 2/2').waitFor();
  assert.match(await textOf(thirdRouting.locator('.routing-text')), /^Automatic/);
  await v3.page.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();
  assert.equal(await john.getByTestId('my-chats').locator('[data-testid^="chat-item-"]').count(), 2);

  assert.deepEqual(errors, []);
  for (const c of [adminCtx, johnCtx, v1.ctx, v2.ctx, v3.ctx]) await c.close();
}));
