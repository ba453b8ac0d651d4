// Two nodes on one PostgreSQL database and one NATS, behind HAProxy run from
// deploy/haproxy.cfg: the console and the widget reach the nodes only
// through HAProxy, which balances every request and socket round-robin with
// no stickiness. The operator's console is on one node and the visitor's
// widget on the other while they chat, and the Visitor List shows the
// visitor. Then the node both sockets are on is killed (SIGKILL): both
// reconnect through HAProxy to the node left, what each side sent meanwhile
// arrives once, and they keep chatting after the dead node is forgotten.
//
// Where a page or socket lands is steered through HAProxy's runtime API
// (drain one node while the other is ready), so that every run crosses
// nodes the same way; between steps both nodes take requests in turn.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ADMIN,
  ADMIN_ENV,
  apiGet,
  cleanup,
  freePort,
  launchBrowser,
  loginConsole,
  nav,
  newContext,
  openWidget,
  operatorSend,
  startNode,
  startProcess,
  textOf,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const HAPROXY = process.env.OUTPUTDESK_HAPROXY || '/usr/sbin/haproxy';
const NATS_URL = 'nats://127.0.0.1:4222';
const DEPLOY_CFG = fileURLToPath(new URL('../deploy/haproxy.cfg', import.meta.url));
const BACKEND = 'outputdesk';

// ---- PostgreSQL: a database of this run's own ------------------------------

function psql(sql) {
  return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// ---- HAProxy ---------------------------------------------------------------

/**
 * haproxyConfig is deploy/haproxy.cfg with what differs on one machine:
 * the frontend on 127.0.0.1:port, the two nodes as servers, round-robin,
 * quick health checks (so a dead node leaves the rotation within a second;
 * the clients' reconnects are redispatched before that anyway), and the
 * runtime API on a socket. Every change must find its line: a reshaped
 * deploy file fails here rather than being tested half.
 */
function haproxyConfig({ port, nodes, adminSocket }) {
  let cfg = readFileSync(DEPLOY_CFG, 'utf8');
  const change = (what, re, replacement) => {
    if (!re.test(cfg)) throw new Error(`deploy/haproxy.cfg: no ${what} line to change (${re})`);
    cfg = cfg.replace(re, replacement);
  };
  change('global', /^global\n/m, `global\n    stats socket ${adminSocket} mode 600 level admin\n`);
  change('frontend bind', /^(\s*)bind\s+:8080\s*$/m, `$1bind 127.0.0.1:${port}`);
  change('balance', /^(\s*)balance\s+\S+\s*$/m, '$1balance roundrobin');
  change('health check timing', /\binter\s+\S+\s+fall\s+\d+\s+rise\s+\d+/, 'inter 500ms fall 1 rise 1');
  cfg = cfg.replace(/^\s*server\s.*\n/gm, '');
  const servers = nodes.map((n) => `    server ${n.name} ${n.addr}\n`).join('');
  change('default-server', /^(\s*default-server\s.*\n)/m, `$1${servers}`);
  return cfg;
}

/** haproxyCommand sends one command to HAProxy's runtime API and returns its answer. */
function haproxyCommand(socketPath, command) {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    let out = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (out += d));
    sock.on('error', reject);
    sock.on('end', () => resolve(out));
    sock.write(command + '\n');
  });
}

/** serverStates reads HAProxy's view of each node: { name: { status, check } }. */
async function serverStates(socketPath) {
  const csv = (await haproxyCommand(socketPath, 'show stat')).trim().split('\n');
  const cols = csv[0].replace(/^#\s*/, '').split(',');
  const col = (row, name) => row[cols.indexOf(name)];
  const states = {};
  for (const row of csv.slice(1).map((l) => l.split(','))) {
    if (col(row, 'pxname') !== BACKEND || ['BACKEND', 'FRONTEND'].includes(col(row, 'svname'))) continue;
    states[col(row, 'svname')] = { status: col(row, 'status'), check: col(row, 'check_status') };
  }
  return states;
}

// ---- The cluster -----------------------------------------------------------

const run = randomBytes(5).toString('hex');
const DB = `od_e2e_${run}`;
const c = { nodes: [], haproxy: null, dir: null, base: null, adminSocket: null, browser: null, dbCreated: false };

before(async () => {
  try {
    accessSync(HAPROXY, constants.X_OK);
  } catch {
    throw new Error(`HAProxy not found at ${HAPROXY}. Install it: apt-get install haproxy (or set OUTPUTDESK_HAPROXY).`);
  }
  psql(`CREATE DATABASE ${DB}`);
  c.dbCreated = true;
  c.dir = mkdtempSync(join(tmpdir(), 'outputdesk-e2e-haproxy-'));
  c.adminSocket = join(c.dir, 'admin.sock');

  // The nodes must know HAProxy's URL before they start (--public-url: the
  // demo page's snippet and the console's origin name it), so its port is
  // picked first and HAProxy is started once the nodes' ports are known.
  const port = await freePort();
  c.base = `http://127.0.0.1:${port}`;
  const args = [
    '--database-url', `postgres://postgres@127.0.0.1:5432/${DB}?sslmode=disable`,
    '--nats-url', NATS_URL,
    '--nats-prefix', `e2e-${run}.`,
    '--public-url', c.base,
    // A dead node is forgotten by the others within seconds.
    '--node-ttl', '3s',
  ];
  // One after the other: the first creates the admin on the empty database.
  c.nodes.push(await startNode({ name: 'n1', args, env: ADMIN_ENV }));
  c.nodes.push(await startNode({ name: 'n2', args }));

  const cfgPath = join(c.dir, 'haproxy.cfg');
  writeFileSync(cfgPath, haproxyConfig({ port, nodes: c.nodes, adminSocket: c.adminSocket }));
  c.haproxy = startProcess('haproxy', HAPROXY, ['-db', '-f', cfgPath]);
  let exit = null;
  c.haproxy.exited.then((e) => (exit = e));
  // Both nodes pass the health check (GET /healthz) before anyone connects.
  await waitUntil('HAProxy to see both nodes healthy', async () => {
    if (exit) return true;
    const s = await serverStates(c.adminSocket);
    return c.nodes.every((n) => s[n.name]?.status === 'UP' && s[n.name]?.check === 'L7OK');
  });
  if (exit) {
    throw new Error(`haproxy exited (code ${exit.code}, signal ${exit.signal}):\n${c.haproxy.logs()}\n--- config ---\n${readFileSync(cfgPath, 'utf8')}`);
  }
  c.browser = await launchBrowser();
});

after(async () => {
  await cleanup(...c.nodes, c.haproxy);
  if (c.dbCreated) psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  if (c.dir) rmSync(c.dir, { recursive: true, force: true });
});

/**
 * only lets new requests and sockets reach the named node alone (the other
 * is drained: it keeps what it holds, and its health is still checked);
 * only(null) lets both take them again, in turn.
 */
async function only(name) {
  const ready = c.nodes.filter((n) => name === null || n.name === name);
  const drained = c.nodes.filter((n) => !ready.includes(n));
  // Ready first, so that no request finds both drained in between.
  for (const [nodes, state] of [[ready, 'ready'], [drained, 'drain']]) {
    for (const n of nodes) {
      const answer = await haproxyCommand(c.adminSocket, `set server ${BACKEND}/${n.name} state ${state}`);
      assert.equal(answer.trim(), '', `set server ${n.name} state ${state}: ${answer}`);
    }
  }
}

// nodeId is the cluster id a node announced in its log ("joined the cluster").
function nodeId(node) {
  const m = node.logs().match(/msg="joined the cluster" node=(\S+)/);
  assert.ok(m, `${node.name} did not say it joined the cluster`);
  return m[1];
}

// ---- The pages -------------------------------------------------------------

// countSockets counts the WebSockets a page opens to path, so the test waits
// for a reconnect instead of for time.
function countSockets(page, path) {
  const counter = { opened: 0 };
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).pathname === path) counter.opened++;
  });
  return counter;
}

const widgetTexts = (vis) => vis.getByTestId('od-messages').locator('[data-testid^="od-message-"] .u').allTextContents();
const consoleTexts = (op) => op.getByTestId('chat-pane').getByTestId('messages').locator('.msg-bubble').allTextContents();
const times = (list, body) => list.filter((t) => t === body).length;

async function storedBodies(op, chatId) {
  const res = await apiGet(op, `${c.base}/api/chats/${chatId}`);
  assert.equal(res.status(), 200);
  const { messages } = await res.json();
  return messages.map((m) => m.body);
}

// exchange sends from each side, then a marker from each; once the markers
// are in, anything doubled before them is in too (messages arrive in seq
// order). Every line shows once on both sides and is stored once.
async function exchange(op, vis, chatId, tag) {
  const fromOp = `operator ${tag}`;
  const fromVis = `visitor ${tag}`;
  await operatorSend(op, fromOp);
  await visitorSend(vis, fromVis);
  await operatorSend(op, `operator marker ${tag}`);
  await visitorSend(vis, `visitor marker ${tag}`);
  const all = [fromOp, fromVis, `operator marker ${tag}`, `visitor marker ${tag}`];
  await waitUntil(`the widget to show the messages ${tag}`, async () => {
    const t = await widgetTexts(vis);
    return all.every((b) => t.includes(b));
  });
  await waitUntil(`the console to show the messages ${tag}`, async () => {
    const t = await consoleTexts(op);
    return all.every((b) => t.includes(b));
  });
  // Nothing left "Sending…" on either side.
  await op.getByTestId('chat-pane').locator('.msg-pending').waitFor({ state: 'detached' });
  await vis.getByTestId('od-pending').first().waitFor({ state: 'detached' });

  const w = await widgetTexts(vis);
  const cs = await consoleTexts(op);
  const s = await storedBodies(op, chatId);
  for (const body of all) {
    assert.equal(times(w, body), 1, `widget shows "${body}" once: ${JSON.stringify(w)}`);
    assert.equal(times(cs, body), 1, `console shows "${body}" once: ${JSON.stringify(cs)}`);
    assert.equal(times(s, body), 1, `stored "${body}" once: ${JSON.stringify(s)}`);
  }
  assert.equal(new Set(w).size, w.length, `widget doubled a line: ${JSON.stringify(w)}`);
  assert.equal(new Set(cs).size, cs.length, `console doubled a line: ${JSON.stringify(cs)}`);
  assert.equal(new Set(s).size, s.length, `a line was stored twice: ${JSON.stringify(s)}`);
}

// visitorRow is the Visitor List's only row; it checks there is one.
async function visitorRow(op) {
  await nav(op, 'Visitor List');
  const rows = op.getByTestId('visitor-list').locator('[data-testid^="visitor-row-"]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1, 'one visitor in the Visitor List');
  return rows.first();
}

// openChat goes back to Chats and opens the operator's chat.
async function openChat(op, chatId) {
  await nav(op, 'Chats');
  await op.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).getByRole('link').click();
  await op.getByTestId('chat-pane').getByLabel('Message').waitFor();
}

test('through HAProxy, a chat across two nodes goes on when the node both sides are on is killed', withServerLog(async () => {
  const [n1, n2] = c.nodes;
  const opCtx = await newContext(c.browser);
  const visCtx = await newContext(c.browser);

  // 1. The operator's console on n1.
  await only('n1');
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  const opSockets = countSockets(op, '/ws/console');
  await loginConsole(op, c.base, ADMIN.email, ADMIN.password);

  // 2. The visitor's page and widget on n2; the first message makes the
  // chat on n2, and the ticket reaches the console on n1.
  await only('n2');
  const vis = await visCtx.newPage();
  errors.push(...watchErrors(vis, 'widget'));
  const visSockets = countSockets(vis, '/ws/visitor');
  await vis.goto(`${c.base}/demo/product`);
  await vis.getByTestId('od-launcher').waitFor();
  await openWidget(vis);
  await visitorSend(vis, 'Hello from node two');
  await vis.getByTestId('od-pending').first().waitFor({ state: 'detached' });

  // From here on both nodes take requests in turn (the sockets stay put).
  await only(null);
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: 'Hello from node two' });
  await ticket.waitFor();
  const chatId = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await op.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).waitFor();
  await pane.getByLabel('Message').waitFor();
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();

  // Messages both ways between n1 and n2, each shown once.
  await exchange(op, vis, chatId, 'across the nodes');
  assert.equal(times(await consoleTexts(op), 'Hello from node two'), 1);
  assert.equal(times(await widgetTexts(vis), 'Hello from node two'), 1);

  // The Visitor List on n1 shows the visitor on n2.
  let row = await visitorRow(op);
  assert.equal(await textOf(row.locator('.page-title')), 'Product');
  await row.locator('.cell-status', { hasText: /^Chatting with Admin$/ }).waitFor();
  const visitorName = await textOf(row.locator('.cell-name'));
  await openChat(op, chatId);

  // 3. The visitor goes to another page, served by n1: the widget reopens
  // there with the chat and its history, and both sockets are now on n1.
  await only('n1');
  await vis.locator('header nav').getByRole('link', { name: 'Pricing', exact: true }).click();
  await vis.waitForURL(`${c.base}/demo/pricing`);
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();
  await only(null);
  await exchange(op, vis, chatId, 'on node one');
  assert.equal(opSockets.opened, 1, 'the console kept its socket');
  assert.equal(visSockets.opened, 2, 'one widget socket per page');

  // 4. n1 dies. Both sides write at once, while their sockets are down or
  // reconnecting; they reconnect through HAProxy to n2 and resume by seq.
  await op.evaluate(() => (window.__noReload = 'console'));
  await vis.evaluate(() => (window.__noReload = 'widget'));
  const deadId = nodeId(n1);
  await n1.kill('SIGKILL');
  await exchange(op, vis, chatId, 'after the kill');
  await waitUntil('the console to open a new socket', () => opSockets.opened >= 2);
  await waitUntil('the widget to open a new socket', () => visSockets.opened >= 3);
  await op.locator('.conn', { hasText: 'Connected' }).waitFor();
  await vis.getByTestId('od-panel').getByText('Chatting with Admin').waitFor();
  // HAProxy's health check has taken n1 out.
  await waitUntil('HAProxy to mark n1 down', async () => (await serverStates(c.adminSocket)).n1?.status === 'DOWN');

  // 5. n2 forgets the dead node (--node-ttl); its console and tab counted
  // there only. The chat goes on, and the visitor is still on the site.
  await waitUntil('n2 to expire the dead node', () =>
    n2.logs().split('\n').some((l) => l.includes('msg="presence: node expired"') && l.includes(`peer=${deadId}`)),
  );
  await exchange(op, vis, chatId, 'after the dead node expired');
  row = await visitorRow(op);
  assert.equal(await textOf(row.locator('.cell-name')), visitorName);
  assert.equal(await textOf(row.locator('.page-title')), 'Pricing');
  await row.locator('.cell-status', { hasText: /^Chatting with Admin$/ }).waitFor();
  assert.equal(await op.getByTestId('status').inputValue(), 'Online');
  await openChat(op, chatId);

  // Nothing was reloaded, the chat is still on, and the first lines are
  // still there once.
  assert.equal(await op.evaluate(() => window.__noReload), 'console');
  assert.equal(await vis.evaluate(() => window.__noReload), 'widget');
  assert.equal(await pane.getByTestId('chat-ended').count(), 0);
  assert.equal(await vis.getByTestId('od-ended').isVisible(), false);
  for (const body of ['Hello from node two', 'operator across the nodes', 'visitor on node one']) {
    assert.equal(times(await widgetTexts(vis), body), 1, `widget: ${body}`);
    assert.equal(times(await consoleTexts(op), body), 1, `console: ${body}`);
  }
  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
