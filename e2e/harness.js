// Shared helpers for the browser tests: start the real outputdesk binary on
// a fresh data dir and a free port, launch Debian's Chromium through
// playwright-core, log in to the console and open demo pages with the widget.
//
// Nothing here is skipped quietly: a missing binary or Chromium is an error.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

// The binary `make build` writes: <repo>/bin/outputdesk.
export const BIN = process.env.OUTPUTDESK_BIN || fileURLToPath(new URL('../bin/outputdesk', import.meta.url));
export const CHROMIUM = process.env.OUTPUTDESK_CHROMIUM || '/usr/bin/chromium';

// ADMIN is the first admin every test server is started with (ADMIN_ENV).
export const ADMIN = { email: 'admin@example.com', password: 'e2e-admin-password' };
export const ADMIN_ENV = { OUTPUTDESK_ADMIN_EMAIL: ADMIN.email, OUTPUTDESK_ADMIN_PASSWORD: ADMIN.password };

// nav clicks a link of the console's main navigation.
export const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

// Everything started here, so that a crashed test still leaves no process
// behind (the after hooks call cleanup; process exit is the last resort).
const children = new Set();
const browsers = new Set();
const servers = new Set();
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

// ---- Waiting ---------------------------------------------------------------
// A step waits for what it waits for, under one clock: node's --test-timeout
// (package.json). No step has a tighter clock of its own, because CI runs on
// two shared, possibly busy cores where one step can take any time. Node 20
// applies that timeout to each test file's process as a whole (and to each
// test in it), so the harness counts it from the file's start, the earlier
// bound either way. A little before it runs out the harness gives up: every
// browser is closed, so whatever Playwright call is pending fails naming
// what it was waiting for, and withServerLog adds the server's log, instead
// of node's bare "test timed out". Run without --test-timeout (`node
// chat.test.js`), steps wait for ever.

// testTimeout is node's --test-timeout for this file, in ms (Infinity if none).
function testTimeout() {
  const arg = process.execArgv.find((a) => a.startsWith('--test-timeout='));
  const ms = arg ? Number(arg.slice('--test-timeout='.length)) : NaN;
  return ms > 0 ? ms : Infinity;
}

const FILE_TIMEOUT = testTimeout();
// The time kept back to report a stuck step and shut down.
const MARGIN = Math.min(FILE_TIMEOUT / 10, 60_000);
const GIVE_UP_AT = performance.timeOrigin + FILE_TIMEOUT - MARGIN;

/** timeUp is aborted when the harness gives up; anything that waits listens to it. */
const timeUp = new AbortController();
export const timeUpSignal = timeUp.signal;
if (Number.isFinite(GIVE_UP_AT) && GIVE_UP_AT - Date.now() < 2 ** 31 - 1) {
  setTimeout(() => {
    timeUp.abort(new Error(`gave up shortly before the test file's --test-timeout (${FILE_TIMEOUT} ms)`));
    for (const b of [...browsers]) b.close().catch(() => {});
  }, Math.max(0, GIVE_UP_AT - Date.now())).unref();
}

/**
 * left is what a Playwright call may wait: the time left before the harness
 * gives up (at least 1 ms), or 0 — no limit — without --test-timeout.
 */
export function left() {
  if (!Number.isFinite(GIVE_UP_AT)) return 0;
  return Math.max(1, Math.floor(GIVE_UP_AT - Date.now()));
}

/**
 * newContext opens a browser context whose calls have no clock of their own
 * (Playwright's default is 30 s per action, navigation and expectation): they
 * wait until they succeed or the harness gives up.
 */
export async function newContext(browser, options) {
  const ctx = await browser.newContext(options);
  ctx.setDefaultTimeout(0);
  ctx.setDefaultNavigationTimeout(0);
  return ctx;
}

/** apiGet is page.request.get without the request context's own 30 s clock. */
export function apiGet(page, url) {
  return page.request.get(url, { timeout: left() });
}

function mustBeExecutable(path, what, hint) {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${what} not found or not executable at ${path}. ${hint}`);
  }
}

const CONSOLE_LINE = /Console:\s+http:\/\/127\.0\.0\.1:(\d+)\/console\//;

// spawnServer starts the binary and resolves once it printed its console URL.
function spawnServer({ dataDir, addr, args, env, logs, label }) {
  const argv = ['--data-dir', dataDir, '--addr', addr, '--log-level', 'debug', ...args];
  const child = spawn(BIN, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const echo = !!process.env.OUTPUTDESK_E2E_LOG;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      logs.push(`[${label}] exited code=${code} signal=${signal}`);
      resolve({ code, signal });
    });
  });
  child.exitedPromise = exited;
  return new Promise((resolve, reject) => {
    let out = '';
    let done = false;
    // No clock of its own: a loaded machine may take long to start it.
    const giveUp = () => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`outputdesk did not print its console URL: ${timeUpSignal.reason.message}.\n${logs.join('\n')}`));
    };
    if (timeUpSignal.aborted) queueMicrotask(giveUp);
    timeUpSignal.addEventListener('abort', giveUp, { once: true });
    const settle = () => {
      done = true;
      timeUpSignal.removeEventListener('abort', giveUp);
    };
    const onLine = (stream) => (chunk) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) {
        if (line) logs.push(`[${label} ${stream}] ${line}`);
        if (echo && line) process.stderr.write(`[${label} ${stream}] ${line}\n`);
      }
      if (stream !== 'out' || done) return;
      out += text;
      const m = out.match(CONSOLE_LINE);
      if (m) {
        settle();
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout.on('data', onLine('out'));
    child.stderr.on('data', onLine('err'));
    child.on('error', (err) => {
      if (done) return;
      settle();
      reject(err);
    });
    exited.then(({ code, signal }) => {
      if (done) return;
      settle();
      reject(new Error(`outputdesk exited (code ${code}, signal ${signal}) before it was ready.\n${logs.join('\n')}`));
    });
  });
}

// stopChild signals the server and waits for it to exit, for as long as it
// takes: a clean stop (SIGTERM) is never turned into a crash by a clock.
// Only once the harness has given up is it killed, and stopChild then
// reports that it had to kill it.
async function stopChild(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return true;
  child.kill(signal);
  let killed = false;
  const kill = () => {
    killed = true;
    child.kill('SIGKILL');
  };
  if (timeUpSignal.aborted) kill();
  else timeUpSignal.addEventListener('abort', kill, { once: true });
  await child.exitedPromise;
  timeUpSignal.removeEventListener('abort', kill);
  return !killed;
}

/**
 * startServer runs the real binary with a fresh temporary data dir on a free
 * port of 127.0.0.1. args are extra flags, env extra environment variables.
 * Returns { base, port, dataDir, logs(), stop(), restart() }: restart stops
 * the process and starts it again on the same data dir and the same port.
 */
export async function startServer({ args = [], env = {} } = {}) {
  mustBeExecutable(BIN, 'The outputdesk binary', 'Build it first: go build -o bin/outputdesk ./cmd/outputdesk (or run make e2e).');
  const dataDir = mkdtempSync(join(tmpdir(), 'outputdesk-e2e-'));
  const logs = [];
  let run = 1;
  let { child, port } = await spawnServer({ dataDir, addr: '127.0.0.1:0', args, env, logs, label: 'server#1' });
  const base = `http://127.0.0.1:${port}`;
  let stopped = false;

  const server = {
    base,
    port,
    dataDir,
    /** every line the server printed so far (stdout and stderr), for failure messages */
    logs: () => logs.join('\n'),
    /** restart stops the server (SIGTERM, or the given signal) and starts it again on the same data dir and port */
    async restart({ signal = 'SIGTERM' } = {}) {
      if (!(await stopChild(child, signal))) {
        throw new Error(`outputdesk did not exit after ${signal}: ${timeUpSignal.reason.message}.\n${logs.join('\n')}`);
      }
      run++;
      // The old listener is closed once the process has exited; the port is
      // free again at once (Go sets SO_REUSEADDR), but try again while it
      // is not, until the harness gives up.
      for (;;) {
        try {
          ({ child } = await spawnServer({
            dataDir,
            addr: `127.0.0.1:${port}`,
            args,
            env,
            logs,
            label: `server#${run}`,
          }));
          return;
        } catch (err) {
          if (!/address already in use/.test(String(err.message)) || timeUpSignal.aborted) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  servers.add(server);
  return server;
}

/**
 * withServerLog wraps a test body: when it fails, the error carries the last
 * lines every server of this file printed (started with --log-level debug),
 * so a failure in CI can be read without running it again.
 */
export function withServerLog(fn, lines = 120) {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (err) {
      const tails = [...servers].map((s) => s.logs().split('\n').slice(-lines).join('\n'));
      if (err && typeof err === 'object') {
        // A step cut short by the harness giving up says so first: its own
        // error then reads "browser has been closed" and names the call.
        const first = timeUpSignal.aborted ? `${timeUpSignal.reason.message}; the step waiting was:\n` : '';
        const extra = `\n--- server log (last ${lines} lines per server) ---\n${tails.join('\n---\n')}`;
        try {
          err.message = first + err.message + extra;
        } catch {
          // a read-only message: keep the error as it is
        }
        if (typeof err.stack === 'string') err.stack = first + err.stack + extra;
      }
      throw err;
    }
  };
}

/** launchBrowser starts headless Chromium (Debian's) through playwright-core. */
export async function launchBrowser() {
  mustBeExecutable(CHROMIUM, 'Chromium', 'Install it: apt-get install chromium (or set OUTPUTDESK_CHROMIUM).');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: left() });
  browsers.add(browser);
  browser.on('disconnected', () => browsers.delete(browser));
  return browser;
}

/** cleanup closes every browser and stops every server still running. */
export async function cleanup(...servers) {
  for (const b of [...browsers]) await b.close().catch(() => {});
  for (const s of servers) if (s) await s.stop().catch(() => {});
}

/**
 * useServer starts a server (with startServer's options) and a browser
 * before the file's tests and stops them, and any server handed to
 * alsoStop, after. Its server and browser are set once the tests run.
 */
export function useServer(options) {
  const f = { server: null, browser: null, others: [] };
  f.alsoStop = (s) => f.others.push(s);
  /** newContext opens a context of the file's browser (see newContext). */
  f.newContext = (options) => newContext(f.browser, options);
  before(async () => {
    f.server = await startServer(options);
    f.browser = await launchBrowser();
  });
  after(async () => {
    await cleanup(f.server, ...f.others);
  });
  return f;
}

/**
 * watchErrors records uncaught page errors (pageerror) of a page; the test
 * asserts the list is empty at the end. Script injected through visitor
 * text would show up here too.
 */
export function watchErrors(page, label) {
  const errors = [];
  page.on('pageerror', (err) => errors.push(`${label}: ${err.message}`));
  return errors;
}

/** loginConsole opens the console and logs in; resolves once the live socket is connected. */
export async function loginConsole(page, base, email, password) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('status').waitFor();
  await page.locator('.conn', { hasText: 'Connected' }).waitFor();
}

/** openVisitor opens a page of the demo site in a new tab of context and waits for the widget's launcher. */
export async function openVisitor(context, base, path) {
  const page = await context.newPage();
  await page.goto(base + path);
  await page.getByTestId('od-launcher').waitFor();
  return page;
}

/** openWidget clicks the launcher and waits for the panel to be connected. */
export async function openWidget(page) {
  await page.getByTestId('od-launcher').click();
  await page.getByTestId('od-panel').waitFor({ state: 'visible' });
  await page.getByTestId('od-panel').locator('.st').filter({ hasNotText: 'Connecting…' }).waitFor();
}

/** visitorSend types body in the widget and clicks "Send". */
export async function visitorSend(page, body) {
  await page.getByTestId('od-input').fill(body);
  await page.getByTestId('od-send').click();
}

/** operatorSend types body in the console's open chat and clicks "Send". */
export async function operatorSend(page, body) {
  const box = page.getByTestId('chat-pane').getByLabel('Message');
  await box.fill(body);
  await page.getByTestId('chat-pane').getByRole('button', { name: 'Send', exact: true }).click();
}

/**
 * acceptTicket opens the console's ticket showing text, clicks "Accept" and
 * waits until the chat is the operator's (its message box shows); it
 * returns the chat's id.
 */
export async function acceptTicket(op, text) {
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: text });
  await ticket.waitFor();
  const chatId = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await op.getByTestId('my-chats').getByTestId(`chat-item-${chatId}`).waitFor();
  await pane.getByLabel('Message').waitFor();
  return chatId;
}

/** Text of a locator, trimmed, or '' — for polling assertions. */
export async function textOf(locator) {
  return ((await locator.textContent()) ?? '').trim();
}

/**
 * waitUntil polls fn (async, returns truthy when done) until it holds, for
 * a condition no event announces; it has no deadline of its own (the
 * harness's giving up ends it), and its error names what was awaited.
 */
export async function waitUntil(what, fn) {
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (timeUpSignal.aborted) throw new Error(`still waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---- Several nodes ---------------------------------------------------------
// A node behind a load balancer prints the balancer's URL (--public-url) as
// its console address, not its own, so its port is chosen here first.

/**
 * freePort is a port of 127.0.0.1 that nothing listens on now (listen on 0,
 * close). Something else may take it before it is used: callers that can,
 * try another on "address already in use".
 */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * startNode runs one node of a cluster on a free port of 127.0.0.1 with a
 * fresh data dir; args name the shared --database-url, --nats-url,
 * --public-url and so on. Returns { name, port, addr, logs(), kill(signal),
 * stop() }: kill signals the node (SIGKILL: a crash) and waits for it to
 * exit. Its output joins withServerLog's, labelled with name.
 */
export async function startNode({ name, args = [], env = {} }) {
  mustBeExecutable(BIN, 'The outputdesk binary', 'Build it first: go build -o bin/outputdesk ./cmd/outputdesk (or run make e2e).');
  const dataDir = mkdtempSync(join(tmpdir(), 'outputdesk-e2e-'));
  const logs = [];
  let child;
  let port;
  for (;;) {
    port = await freePort();
    try {
      ({ child } = await spawnServer({ dataDir, addr: `127.0.0.1:${port}`, args, env, logs, label: name }));
      break;
    } catch (err) {
      if (!/address already in use/.test(String(err.message)) || timeUpSignal.aborted) throw err;
    }
  }
  let stopped = false;
  const node = {
    name,
    port,
    addr: `127.0.0.1:${port}`,
    logs: () => logs.join('\n'),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await child.exitedPromise;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  servers.add(node);
  return node;
}

/**
 * startProcess runs a helper program (a load balancer, say) that the
 * harness kills at exit like the servers; its output joins withServerLog's.
 * Returns { child, logs(), exited, stop() }; exited resolves with
 * { code, signal }.
 */
export function startProcess(label, command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const logs = [];
  const echo = !!process.env.OUTPUTDESK_E2E_LOG;
  const onLine = (stream) => (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      logs.push(`[${label} ${stream}] ${line}`);
      if (echo) process.stderr.write(`[${label} ${stream}] ${line}\n`);
    }
  };
  child.stdout.on('data', onLine('out'));
  child.stderr.on('data', onLine('err'));
  const exited = new Promise((resolve) => {
    child.on('error', (err) => logs.push(`[${label}] ${err.message}`));
    child.on('close', (code, signal) => {
      children.delete(child);
      logs.push(`[${label}] exited code=${code} signal=${signal}`);
      resolve({ code, signal });
    });
  });
  child.exitedPromise = exited;
  const proc = {
    child,
    exited,
    logs: () => logs.join('\n'),
    stop: () => stopChild(child),
  };
  servers.add(proc);
  return proc;
}
