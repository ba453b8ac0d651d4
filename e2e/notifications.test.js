// "Never miss a chat": a sound and a browser notification for a new
// ticket and for a visitor's message in a chat not on screen, a count in
// the tab title, nothing while "Away", and preferences kept on the server
// so a change in one browser holds in another of the same operator.
//
// Each console context records what the browser was asked to do: an init
// script wraps the browser's own Notification constructor (each
// construction is recorded, then the real one is called) and
// OscillatorNode.prototype.start (the tone is made with the Web Audio
// API), and lets the test say the tab is hidden (document.visibilityState).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  left,
  loginConsole,
  nav,
  openVisitor,
  openWidget,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

function recordAlerts() {
  window.__alerts = { notes: [], sounds: 0 };
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  const Real = window.Notification;
  if (Real) {
    window.Notification = class extends Real {
      constructor(title, options) {
        window.__alerts.notes.push({ title, body: (options && options.body) || '' });
        super(title, options);
      }
    };
  }
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__alerts.sounds++;
    return start.apply(this, args);
  };
  window.__hidden = false;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible') });
}

/** A console context of the admin, allowed to notify, recording alerts. */
async function consoleContext() {
  const ctx = await f.newContext();
  await ctx.grantPermissions(['notifications'], { origin: f.server.base });
  await ctx.addInitScript(recordAlerts);
  return ctx;
}

const alerts = (page) => page.evaluate(() => ({ notes: [...window.__alerts.notes], sounds: window.__alerts.sounds }));

/** notesLike counts recorded notifications whose title and body match. */
async function notesLike(page, title, body) {
  const { notes } = await alerts(page);
  return notes.filter((n) => title.test(n.title) && body.test(n.body)).length;
}

/** openNotifications opens the panel; resolves once the preferences are read from the server. */
async function openNotifications(page) {
  const button = page.getByRole('button', { name: 'Notifications' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await page.getByTestId('notify-prefs').waitFor();
}

async function closeNotifications(page) {
  await page.locator('#notifications-panel').getByRole('button', { name: 'Close' }).click();
  await page.locator('#notifications-panel').waitFor({ state: 'detached' });
}

/** login logs the admin in and waits until the preferences are known. */
async function login(page) {
  await loginConsole(page, f.server.base, ADMIN.email, ADMIN.password);
  await openNotifications(page);
  await closeNotifications(page);
}

/** newTicket: a new visitor on the demo site writes text. */
async function newTicket(text) {
  const ctx = await f.newContext();
  const vis = await openVisitor(ctx, f.server.base, '/demo/');
  await openWidget(vis);
  await visitorSend(vis, text);
  return vis;
}

const ticketItem = (page, text) => page.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: text });

const titleCount = async (page) => {
  const m = /^\((\d+)\) Output Desk$/.exec(await page.title());
  return m ? Number(m[1]) : 0;
};

let admin; // the admin's first console, shared by the tests in order
let errors;

test('a new ticket: a browser notification, a sound, and the count in the tab title', withServerLog(async () => {
  const ctx = await consoleContext();
  admin = await ctx.newPage();
  errors = watchErrors(admin, 'console');
  await login(admin);
  await openNotifications(admin);
  assert.equal(await admin.getByTestId('notify-permission').textContent(), 'This browser shows notifications from Output Desk.');
  await closeNotifications(admin);
  assert.equal(await admin.title(), 'Output Desk');
  assert.deepEqual(await alerts(admin), { notes: [], sounds: 0 }, 'nothing alerts at log-in');

  await newTicket('Does it ship to Norway?');
  await waitUntil('a notification of the new ticket', async () => (await notesLike(admin, /^New chat waiting$/, /: Does it ship to Norway\?$/)) === 1);
  await waitUntil('a sound', async () => (await alerts(admin)).sounds === 1);
  await waitUntil('"(1) Output Desk"', async () => (await admin.title()) === '(1) Output Desk');
  await ticketItem(admin, 'Does it ship to Norway?').waitFor();
  assert.deepEqual(errors, []);
}));

test('a visitor message in a chat not on screen notifies; in the chat open in a visible tab it does not; in a hidden tab it does', withServerLog(async () => {
  const vis = await newTicket('I have a question');
  const ticket = ticketItem(admin, 'I have a question');
  await ticket.waitFor();
  const chatId = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  await admin.getByTestId('chat-pane').getByRole('button', { name: 'Accept' }).click();
  await admin.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).waitFor();
  assert.equal(await notesLike(admin, /^Chat assigned to you$/, /.*/), 0, 'a chat I took myself is not announced');
  const message = /^New message from /;
  const sounds = (await alerts(admin)).sounds;

  // On screen, in a visible tab: shown, not announced.
  await visitorSend(vis, 'Can you see this?');
  await admin.getByTestId('chat-pane').getByText('Can you see this?', { exact: true }).waitFor();
  assert.equal(await notesLike(admin, message, /.*/), 0, 'no notification for the chat on screen');
  assert.equal((await alerts(admin)).sounds, sounds, 'no sound for the chat on screen');

  // Not on screen: another view.
  await nav(admin, 'Visitor List');
  await visitorSend(vis, 'Are you still there?');
  await waitUntil('a notification of the message', async () => (await notesLike(admin, message, /^Are you still there\?$/)) === 1);
  await waitUntil('a sound for it', async () => (await alerts(admin)).sounds === sounds + 1);

  // The chat open again, but the tab hidden.
  await nav(admin, 'Chats');
  await admin.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).getByRole('link').click();
  await admin.getByTestId('chat-pane').getByText('Are you still there?', { exact: true }).waitFor();
  await admin.evaluate(() => (window.__hidden = true));
  await visitorSend(vis, 'Hello?');
  await waitUntil('a notification while the tab is hidden', async () => (await notesLike(admin, message, /^Hello\?$/)) === 1);
  await admin.evaluate(() => (window.__hidden = false));
  assert.deepEqual(errors, []);
}));

test('"Away": no sound and no notification, the title still counts', withServerLog(async () => {
  // Another operator is Online, so visitors are offered a chat (with
  // nobody Online the widget offers "Leave a message" instead).
  const bea = await onlineOperator('Bea Online', 'bea@example.com');
  await admin.getByTestId('status').selectOption('Away');
  await admin.locator('.status-select.status-away').waitFor();
  const before = await alerts(admin);
  const count = await titleCount(admin);

  await newTicket('Anyone home?');
  await ticketItem(admin, 'Anyone home?').waitFor();
  await waitUntil('the title to count the ticket', async () => (await titleCount(admin)) === count + 1);
  assert.deepEqual(await alerts(admin), before, 'nothing sounded or popped up while Away');

  await admin.getByTestId('status').selectOption('Online');
  await admin.locator('.status-select.status-online').waitFor();
  await newTicket('Back online?');
  await waitUntil('a notification once Online again', async () => (await notesLike(admin, /^New chat waiting$/, /: Back online\?$/)) === 1);
  await bea.close();
  assert.deepEqual(errors, []);
}));

/** onlineOperator creates an operator and logs them in a console of their own: they are Online. */
async function onlineOperator(name, email) {
  const password = 'password-' + email;
  const ctx = await f.newContext();
  const res = await ctx.request.post(`${f.server.base}/api/session`, { data: { email: ADMIN.email, password: ADMIN.password }, timeout: left() });
  const { csrf_token: csrf } = await res.json();
  const made = await ctx.request.post(`${f.server.base}/api/operators`, {
    data: { name, email, password, role: 'operator' },
    headers: { 'X-CSRF-Token': csrf },
    timeout: left(),
  });
  assert.equal(made.status(), 201, await made.text());
  const own = await f.newContext();
  await loginConsole(await own.newPage(), f.server.base, email, password);
  await ctx.close();
  return own;
}

/** asAdmin is the REST API as the admin, from a session of its own. */
async function asAdmin() {
  const ctx = await f.newContext();
  const res = await ctx.request.post(`${f.server.base}/api/session`, { data: { email: ADMIN.email, password: ADMIN.password }, timeout: left() });
  assert.equal(res.status(), 200);
  const { operator, csrf_token: csrf } = await res.json();
  const call = async (method, path, data) => {
    const r = await ctx.request.fetch(`${f.server.base}${path}`, { method, data, headers: { 'X-CSRF-Token': csrf }, timeout: left() });
    assert.equal(r.status(), 200, `${method} ${path}: ${await r.text()}`);
  };
  return { operator, call };
}

test('a chat assigned to me (the Automatic chat rule): a notification and a sound', withServerLog(async () => {
  const api = await asAdmin();
  await api.call('PATCH', `/api/operators/${api.operator.id}`, { chat_limit: 100 });
  await api.call('PATCH', '/api/settings', { chat_rule: 'Automatic' });
  const sounds = (await alerts(admin)).sounds;
  await newTicket('Route me please');
  await waitUntil('a notification of the assignment', async () => (await notesLike(admin, /^Chat assigned to you$/, /: Route me please$/)) === 1);
  assert.ok((await alerts(admin)).sounds > sounds, 'a sound');
  assert.equal(await notesLike(admin, /^New chat waiting$/, /: Route me please$/), 0, 'routed at once: never a ticket');
  await api.call('PATCH', '/api/settings', { chat_rule: 'Manual' });
  assert.deepEqual(errors, []);
}));

test('preferences live on the server: turned off in one browser, they hold in another browser of the operator, live and after a reload', withServerLog(async () => {
  const ctxB = await consoleContext();
  const b = await ctxB.newPage();
  errors.push(...watchErrors(b, 'console B'));
  await login(b);
  await openNotifications(b);
  const soundB = b.getByLabel('Sound', { exact: true });
  assert.equal(await soundB.isChecked(), true);

  // A turns the sound off: B's panel follows without a reload.
  await openNotifications(admin);
  await admin.getByLabel('Sound', { exact: true }).uncheck();
  await admin.locator('#notifications-panel').getByText('Saved.').waitFor();
  await waitUntil("B's panel to show the sound off", async () => !(await soundB.isChecked()));

  // A turns browser notifications and the title count off; B reloads.
  await admin.getByLabel('Browser notifications', { exact: true }).uncheck();
  await waitUntil('browser notifications off in A', async () => !(await admin.getByLabel('Browser notifications', { exact: true }).isChecked()));
  await admin.getByLabel('Count in the tab title', { exact: true }).uncheck();
  await admin.locator('#notifications-panel').getByText('Saved.').waitFor();
  await waitUntil("A's title without a count", async () => (await admin.title()) === 'Output Desk');

  await b.reload();
  await b.locator('.conn', { hasText: 'Connected' }).waitFor();
  await openNotifications(b);
  assert.equal(await b.getByLabel('Sound', { exact: true }).isChecked(), false);
  assert.equal(await b.getByLabel('Browser notifications', { exact: true }).isChecked(), false);
  assert.equal(await b.getByLabel('Count in the tab title', { exact: true }).isChecked(), false);
  assert.equal(await b.getByLabel('New chat waiting', { exact: true }).isChecked(), true);

  const before = await alerts(b);
  await newTicket('Quiet please');
  await ticketItem(b, 'Quiet please').waitFor();
  assert.deepEqual(await alerts(b), before, 'B neither sounded nor notified');
  assert.equal(await b.title(), 'Output Desk', 'B shows no count');
  await b.getByRole('button', { name: 'Play the sound' }).click();
  await waitUntil('the test sound', async () => (await alerts(b)).sounds === before.sounds + 1);
  for (const page of [admin, b]) assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
  assert.deepEqual(errors, []);
}));
