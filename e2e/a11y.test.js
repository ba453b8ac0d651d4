// An accessible console (issue 12, point 9): axe-core finds no serious or
// critical violation on any view, and an operator takes, answers,
// transfers and ends a chat with the keyboard alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axeCheck runs axe-core on the page as it is and fails on any serious or
// critical violation, naming the rule and the elements. axe goes in through
// page.evaluate (DevTools' evaluate, which the page's CSP does not govern),
// so the console is checked under its real Content-Security-Policy, with
// no bypassCSP.
async function axeCheck(page, view) {
  const violations = await page.evaluate(async (src) => {
    if (!window.axe) (0, eval)(src);
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE);
  assert.deepEqual(violations, [], `axe on ${view}`);
  // axe rates a page without an h1 only "moderate"; every view has one.
  assert.equal(await page.locator('h1').count(), 1, `one h1 on ${view}`);
}

// api calls the REST API from a console page with its CSRF token.
function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/session')).json();
      const res = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    { method, path, body },
  );
}

test('axe-core: no serious or critical violation on any console view', withServerLog(async () => {
  const page = await (await f.newContext()).newPage();
  await page.goto(`${f.server.base}/console/`);
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await axeCheck(page, 'the log-in page');
  await loginConsole(page, f.server.base, ADMIN.email, ADMIN.password);

  // A chat to select: a visitor writes, and stays on the site for the Visitor List.
  const vis = await openVisitor(await f.newContext(), f.server.base, '/demo/product');
  await openWidget(vis);
  await visitorSend(vis, 'A question about https://example.com/beans');
  const item = page.getByTestId('tickets').locator('[data-testid^="chat-item-"]').first();
  await item.waitFor();
  await axeCheck(page, 'Chats with a ticket');
  await item.getByRole('link').click();
  const pane = page.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await pane.getByLabel('Message').waitFor();
  await pane.getByTestId('messages').locator('a').waitFor();
  await axeCheck(page, 'Chats with a chat selected');
  await pane.getByRole('button', { name: 'Cancel' }).click();
  await pane.getByRole('button', { name: 'Keep chatting' }).waitFor();
  await axeCheck(page, 'Chats asking "End this chat?"');
  await pane.getByRole('button', { name: 'End chat' }).click();
  await pane.getByTestId('chat-ended').waitFor();
  await axeCheck(page, 'Chats with an ended chat');

  await nav(page, 'Visitor List');
  const row = page.getByTestId('visitor-list').locator('[data-testid^="visitor-row-"]').first();
  await row.waitFor();
  await row.click();
  await page.locator('.grid-row.selected').waitFor();
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  await axeCheck(page, 'Visitor List with a row selected');

  await nav(page, 'History');
  const historyRow = page.locator('tr.clickable').first();
  await historyRow.waitFor();
  await axeCheck(page, 'History');
  await historyRow.click();
  await page.locator('tr.selected').waitFor();
  await page.getByTestId('chat-ended').waitFor();
  await axeCheck(page, 'History with a chat open');

  await nav(page, 'Reports');
  await page.getByTestId('report-chats').waitFor();
  await axeCheck(page, 'Reports');

  await nav(page, 'Offline messages');
  await page.getByRole('heading', { name: 'Offline messages', level: 1 }).waitFor();
  await axeCheck(page, 'Offline messages');

  await nav(page, 'Operators');
  await page.getByRole('heading', { name: 'Operator accounts' }).waitFor();
  await axeCheck(page, 'Operators');

  await nav(page, 'Settings');
  for (const id of ['chat-rule', 'action-rules', 'chat-rules', 'appearance', 'install']) await page.locator(`#${id}`).waitFor();
  await axeCheck(page, 'Settings (every section)');
  await page.getByRole('button', { name: 'Add a routing rule' }).click();
  await page.getByRole('button', { name: 'Add a Chat Rule' }).click();
  await page.getByRole('form', { name: 'New routing rule' }).waitFor();
  await axeCheck(page, 'Settings with the new rule forms open');
}));

// tabTo presses Tab (or Shift+Tab) until the focused element is what is
// wanted, as a keyboard user would; it fails if a full round never gets there.
async function tabTo(page, what, isIt, key = 'Tab') {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate(isIt)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}


// focusCheck returns a page function: is the focused element a <tag> whose
// text (or aria-label) is name?
function focused(tag, name) {
  return new Function(
    `const el = document.activeElement;
     if (!el || el.tagName !== ${JSON.stringify(tag.toUpperCase())}) return false;
     const n = (el.getAttribute('aria-label') || el.textContent || '').trim();
     return ${JSON.stringify(name)} === '' || n.startsWith(${JSON.stringify(name)});`,
  );
}

test('the keyboard alone takes, answers, transfers and ends a chat', withServerLog(async () => {
  // Set up (not the operator's part): a second operator, online.
  const admin = await (await f.newContext()).newPage();
  await admin.goto(`${f.server.base}/console/`);
  // Log in with the keyboard too.
  await admin.getByLabel('Email').waitFor();
  await tabTo(admin, 'Email', focused('input', ''));
  await admin.keyboard.type(ADMIN.email);
  await admin.keyboard.press('Tab');
  await admin.keyboard.type(ADMIN.password);
  await admin.keyboard.press('Enter');
  await admin.locator('.conn', { hasText: 'Connected' }).waitFor();

  await api(admin, 'POST', '/api/operators', { name: 'Anna Berg', email: 'anna@example.com', password: 'anna-password-1' });
  const anna = await (await f.newContext()).newPage();
  await loginConsole(anna, f.server.base, 'anna@example.com', 'anna-password-1');

  const vis = await openVisitor(await f.newContext(), f.server.base, '/demo/pricing');
  await openWidget(vis);
  await visitorSend(vis, 'Keyboard test, hello');

  // Take: Tab to the ticket, Enter opens it, Tab to "Accept", Space takes it.
  const ticket = admin.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: 'Keyboard test, hello' });
  await ticket.waitFor();
  await tabTo(admin, 'the ticket', () => document.activeElement?.closest('[data-testid="tickets"]') != null);
  await admin.keyboard.press('Enter');
  const pane = admin.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).waitFor();
  await tabTo(admin, '"Accept"', focused('button', 'Accept'));
  await admin.keyboard.press('Space');
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();

  // Answer: Tab to the message box, type, Enter sends.
  await pane.getByLabel('Message').waitFor();
  await tabTo(admin, 'the message box', focused('textarea', ''));
  await admin.keyboard.type('Typed with the keyboard only');
  await admin.keyboard.press('Enter');
  await vis.getByTestId('od-messages').getByText('Typed with the keyboard only').waitFor();

  // Transfer: Tab to the operator list (Anna is the only one), Tab to
  // "Transfer", Enter.
  await pane.getByRole('combobox', { name: 'Transfer to' }).locator('option', { hasText: 'Anna Berg' }).waitFor({ state: 'attached' });
  await tabTo(admin, '"Transfer"', focused('button', 'Transfer'));
  await admin.keyboard.press('Enter');
  await vis.getByTestId('od-panel').getByText('Chatting with Anna Berg').waitFor();

  // End, as Anna, with the keyboard: her chat, "Cancel", then "End chat"
  // (the question takes the focus to "Keep chatting"; Shift+Tab goes back).
  const mine = anna.getByTestId('my-chats').locator('[data-testid^="chat-item-"]');
  await mine.waitFor();
  await tabTo(anna, 'her chat', () => document.activeElement?.closest('[data-testid="my-chats"]') != null);
  await anna.keyboard.press('Enter');
  await anna.getByTestId('chat-pane').getByLabel('Message').waitFor();
  await tabTo(anna, '"Cancel"', focused('button', 'Cancel'));
  await anna.keyboard.press('Enter');
  await waitUntil('"Keep chatting" to take the focus', () => anna.evaluate(focused('button', 'Keep chatting')));
  await anna.keyboard.press('Shift+Tab');
  assert.equal(await anna.evaluate(focused('button', 'End chat')), true);
  await anna.keyboard.press('Enter');
  await anna.getByTestId('chat-pane').getByTestId('chat-ended').getByText('Ended by Anna Berg').waitFor();
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
  assert.equal(await textOf(vis.getByTestId('od-ended')), 'Chat Ended');
}));
