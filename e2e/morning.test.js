// What a first morning with the console showed (issue 12, point 8), each
// seen in the browser: "Cancel" asks first and sits apart from Transfer;
// a dropped socket disables the composer under a clear banner; tickets
// whose visitor left wait apart and are not counted; links in messages are
// clickable and safe; the widget says "NAME joined the chat"; Settings names
// each section once and marks the current one; the Visitor List shows
// Browser / OS whole; a favicon, and no 404 on any console or demo page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  apiGet,
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

// Manual chat rule (no --demo): every chat waits as a ticket. A tab gone for
// 1 s has left the site; a ticket whose visitor left keeps its 20 minutes.
const f = useServer({ env: ADMIN_ENV, args: ['--presence-grace', '1s'] });

const tickets = (op) => op.getByTestId('tickets').locator('[data-testid^="chat-item-"]');
const chatIdOf = async (item) => Number((await item.getAttribute('data-testid')).replace('chat-item-', ''));

// startTicket: a new visitor on path writes body; resolves with its page and
// the ticket's chat id once the console lists the ticket.
async function startTicket(op, path, body) {
  const vis = await openVisitor(await f.newContext(), f.server.base, path);
  await openWidget(vis);
  await visitorSend(vis, body);
  const item = op.locator('[data-testid^="chat-item-"]', { hasText: body });
  await item.waitFor();
  return { vis, chatId: await chatIdOf(item) };
}

// accept opens a ticket and accepts it; resolves once the message box shows.
async function accept(op, chatId) {
  await op.getByTestId(`chat-item-${chatId}`).getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await pane.getByLabel('Message').waitFor();
  return pane;
}

async function consolePage() {
  const op = await (await f.newContext()).newPage();
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  return op;
}

// Runs first, while the admin has no chat: the badge counts tickets only.
test('tickets whose visitor left wait apart ("Left the site", with the countdown) and are not counted', withServerLog(async () => {
  const op = await consolePage();
  const errors = watchErrors(op, 'console');
  const gone = await startTicket(op, '/demo/', 'I may leave soon');
  const stays = await startTicket(op, '/demo/product', 'I am still here');
  const badge = op.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Chats/ }).locator('.badge');
  await waitUntil('the badge to count both tickets', async () => (await textOf(badge)) === '2');
  await waitUntil('the title to count both tickets', async () => (await op.title()) === '(2) Output Desk');

  await gone.vis.close();
  const left = op.getByTestId('left-tickets').getByTestId(`chat-item-${gone.chatId}`);
  await left.waitFor();
  assert.match(await textOf(op.locator('#left-tickets-heading')), /^Left the site/);
  assert.match(await textOf(left.locator('.countdown')), /^ends in \d/);
  // Gone from the live tickets, still there for the one who still is.
  await op.getByTestId('tickets').getByTestId(`chat-item-${gone.chatId}`).waitFor({ state: 'detached' });
  await op.getByTestId('tickets').getByTestId(`chat-item-${stays.chatId}`).waitFor();
  await waitUntil('the badge to count the live ticket only', async () => (await textOf(badge)) === '1');
  await waitUntil('the title to count the live ticket only', async () => (await op.title()) === '(1) Output Desk');
  // Opening it shows the countdown too.
  await left.getByRole('link').click();
  await op.getByTestId('chat-pane').getByTestId('visitor-left').getByText('Visitor left the site').waitFor();
  assert.deepEqual(errors, []);
}));

test('operator "Cancel" asks "End this chat?" and sits apart from Transfer', withServerLog(async () => {
  const op = await consolePage();
  const { vis, chatId } = await startTicket(op, '/demo/pricing', 'Please cancel me later');
  const pane = await accept(op, chatId);

  const cancel = pane.getByRole('button', { name: 'Cancel' });
  const transfer = pane.getByRole('button', { name: 'Transfer', exact: true });
  const [c, t] = [await cancel.boundingBox(), await transfer.boundingBox()];
  // Apart: well to the right of Transfer, or on a row of its own when the pane is narrow.
  assert.ok(
    c.x >= t.x + t.width + 24 || c.y >= t.y + t.height,
    `Cancel (${JSON.stringify(c)}) stands apart from Transfer (${JSON.stringify(t)})`,
  );

  // "Keep chatting" takes it back: nothing ended.
  await cancel.click();
  const ask = pane.getByRole('group', { name: 'End this chat?' });
  await ask.waitFor();
  await ask.getByRole('button', { name: 'Keep chatting' }).click();
  await ask.waitFor({ state: 'detached' });
  await cancel.waitFor();
  assert.equal(await pane.getByTestId('chat-ended').count(), 0);
  assert.equal(await pane.getByLabel('Message').isEnabled(), true);

  // "End chat" ends it, for both sides.
  await cancel.click();
  await ask.getByRole('button', { name: 'End chat' }).click();
  await pane.getByTestId('chat-ended').getByText('Ended by Admin').waitFor();
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
}));

test('while the console socket is down the composer is disabled and a banner says so', withServerLog(async () => {
  const ctx = await f.newContext();
  // Playwright stands between the console and /ws/console: pass-through
  // until the test drops the sockets and refuses new ones.
  let refuse = false;
  const live = new Set();
  await ctx.routeWebSocket(/\/ws\/console$/, (ws) => {
    if (refuse) {
      ws.close({ code: 1011, reason: 'test: server unreachable' });
      return;
    }
    ws.connectToServer();
    live.add(ws);
  });
  const op = await ctx.newPage();
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  const { chatId } = await startTicket(op, '/demo/', 'Will you lose me?');
  const pane = await accept(op, chatId);
  const box = pane.getByLabel('Message');
  const banner = op.getByTestId('offline-banner');
  assert.equal(await banner.count(), 0, 'no banner while connected');
  await box.fill('typed before the drop');

  refuse = true;
  for (const ws of live) ws.close({ code: 1011, reason: 'test: dropped' });
  await banner.waitFor();
  assert.match(await textOf(banner), /Disconnected from the server/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  await waitUntil('the message box to be disabled', async () => !(await box.isEnabled()));
  assert.equal(await pane.getByRole('button', { name: 'Send', exact: true }).isEnabled(), false);
  assert.equal(await box.inputValue(), 'typed before the drop', 'the draft is kept');

  // Back online: the banner goes, the box takes messages again.
  refuse = false;
  await op.locator('.conn', { hasText: 'Connected' }).waitFor();
  await banner.waitFor({ state: 'detached' });
  await waitUntil('the message box to be enabled', () => box.isEnabled());
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await pane.getByTestId('messages').locator('.msg-operator:not(.msg-pending)', { hasText: 'typed before the drop' }).waitFor();
}));

test('links in messages are clickable in the console, http(s) only, and never markup', withServerLog(async () => {
  const op = await consolePage();
  const body = 'See https://example.com/a?b=1&c=2, or javascript:alert(1) and http://shop.test/x.';
  const { chatId } = await startTicket(op, '/demo/', body);
  const pane = await accept(op, chatId);
  const bubble = pane.getByTestId('messages').locator('.msg-visitor .msg-bubble', { hasText: 'See https' });
  await bubble.waitFor();
  assert.equal(await textOf(bubble), body, 'the text reads as it was written');
  const links = bubble.locator('a');
  assert.equal(await links.count(), 2);
  assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [
    'https://example.com/a?b=1&c=2',
    'http://shop.test/x',
  ]);
  for (const a of await links.all()) {
    assert.equal(await a.getAttribute('target'), '_blank');
    assert.equal(await a.getAttribute('rel'), 'noopener noreferrer');
  }
  assert.equal(await pane.locator('a[href^="javascript"]').count(), 0, 'javascript: never becomes a link');
}));

test('the widget says "NAME joined the chat" when an operator takes it', withServerLog(async () => {
  const op = await consolePage();
  const { vis, chatId } = await startTicket(op, '/demo/product', 'Anyone there?');
  await vis.getByTestId('od-panel').getByText('Waiting for an operator…').waitFor();
  assert.equal(await vis.getByTestId('od-joined').count(), 0);
  await accept(op, chatId);
  const joined = vis.getByTestId('od-joined');
  await joined.waitFor();
  assert.equal(await textOf(joined), 'Admin joined the chat');
  // After the visitor's line, once, and it stays put as the chat goes on.
  await visitorSend(vis, 'Great, hello!');
  await op.getByTestId('chat-pane').getByText('Great, hello!').waitFor();
  const lines = await vis
    .getByTestId('od-messages')
    .locator('[data-testid^="od-message-"], [data-testid="od-joined"]')
    .allTextContents();
  const at = lines.indexOf('Admin joined the chat');
  assert.ok(at > 0 && /Anyone there\?/.test(lines[at - 1]) && /Great, hello!/.test(lines[at + 1]), JSON.stringify(lines));
  assert.equal(await joined.count(), 1);
}));

// api calls the REST API from the console page, with its session's CSRF token.
async function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/session')).json();
      const res = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        // "__ME__" stands for the logged-in operator's id
        body: JSON.stringify(body).replace('"__ME__"', String(session.operator.id)),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    { method, path, body },
  );
}

test('Settings: one clear name per section, the current one marked, Enabled alike in every rule table', withServerLog(async () => {
  const op = await consolePage();
  await nav(op, 'Settings');
  const sections = op.getByRole('navigation', { name: 'Settings sections' }).getByRole('link');
  await op.locator('#chat-rules').waitFor();
  const names = await sections.allTextContents();
  assert.deepEqual(names.slice(0, 3), ['Routing: Chat Rule', 'Routing: Action Rules', 'Invitations: Chat Rules']);
  assert.equal(new Set(names).size, names.length);
  for (const id of ['chat-rule', 'action-rules', 'chat-rules']) {
    const heading = await textOf(op.locator(`#${id} h2`));
    assert.ok(names.includes(heading), `section #${id} is titled as in the navigation: ${heading}`);
  }
  await op.locator('#chat-rules').getByText('No Send Invitation rule yet.').waitFor();

  // The section picked is the current one, and only it.
  for (const name of ['Invitations: Chat Rules', 'Install', 'Routing: Chat Rule']) {
    await sections.filter({ hasText: name }).click();
    await waitUntil(`"${name}" to be the current section`, async () => {
      const current = await sections.evaluateAll((as) => as.filter((a) => a.hasAttribute('aria-current')).map((a) => a.textContent));
      return current.length === 1 && current[0] === name;
    });
  }

  // One rule in each table: Enabled is a checkbox in both.
  await api(op, 'POST', '/api/action-rules', {
    name: 'Product page',
    enabled: true,
    conditions: [{ field: 'url', op: 'contains', value: '/product' }],
    target_operator_id: '__ME__',
  });
  await api(op, 'POST', '/api/invitation-rules', {
    name: 'Pricing help',
    enabled: true,
    url: { op: 'contains', value: '/pricing' },
    min_time_on_page_seconds: 3600,
    min_pages_viewed: 0,
    message: 'Questions about prices?',
  });
  const actionBox = op.getByTestId('action-rules').getByRole('checkbox', { name: 'Enabled: Product page' });
  const invitationBox = op.getByTestId('invitation-rules').getByRole('checkbox', { name: 'Enabled: Pricing help' });
  await actionBox.waitFor();
  await invitationBox.waitFor();
  assert.equal(await actionBox.isChecked(), true);
  assert.equal(await invitationBox.isChecked(), true);
  await invitationBox.uncheck();
  await waitUntil('the invitation rule to be stored disabled', async () => {
    const res = await apiGet(op, `${f.server.base}/api/invitation-rules`);
    return (await res.json()).rules.some((r) => r.name === 'Pricing help' && r.enabled === false);
  });
}));

test('the Visitor List shows Browser / OS whole', withServerLog(async () => {
  const op = await consolePage();
  await openVisitor(await f.newContext(), f.server.base, '/demo/pricing');
  await nav(op, 'Visitor List');
  const cell = op.getByTestId('visitor-list').locator('[data-testid^="visitor-row-"] [role="cell"]').nth(6);
  await waitUntil('a Browser / OS cell with text', async () => /\S/.test(await textOf(cell)));
  const { scroll, client, text } = await cell.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, text: el.textContent }));
  assert.ok(scroll <= client, `"${text}" fits its column (${scroll} > ${client})`);
}));

test('a favicon, and no 404 or console error on any console view or demo page', withServerLog(async () => {
  const ctx = await f.newContext();
  const problems = [];
  const page = await ctx.newPage();
  // The one error expected: the log-in page asks GET /api/session, which is
  // 401 while nobody is logged in, and Chromium logs every 4xx it loads.
  let sessionProbes = 0;
  page.on('response', (r) => {
    if (r.status() === 401 && new URL(r.url()).pathname === '/api/session' && r.request().method() === 'GET') sessionProbes++;
    else if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/status of 401/.test(m.text()) && sessionProbes-- > 0) return;
    problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  for (const path of ['/demo/', '/demo/product', '/demo/pricing']) {
    await page.goto(f.server.base + path);
    await page.getByTestId('od-launcher').waitFor();
    assert.equal(await page.locator('link[rel="icon"]').getAttribute('href'), '/favicon.svg');
  }
  await loginConsole(page, f.server.base, ADMIN.email, ADMIN.password);
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  assert.equal(icon, '/console/favicon.svg');
  for (const view of ['Visitor List', 'History', 'Settings', 'Operators', 'Chats']) {
    await nav(page, view);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  }
  await page.reload();
  await page.locator('.conn', { hasText: 'Connected' }).waitFor();

  for (const path of [icon, '/favicon.svg']) {
    const res = await apiGet(page, f.server.base + path);
    assert.equal(res.status(), 200, path);
    assert.equal(res.headers()['content-type'], 'image/svg+xml', path);
    assert.match(await res.text(), /^<svg /);
  }
  assert.deepEqual(problems, []);
}));
