// Issue 10 (1, 11): the console runs whole under its strict
// Content-Security-Policy — log in, the live socket, every view, a reload —
// without one violation; the CSP does refuse what it must (an inline script,
// being framed); and the widget, panel and console files come compressed,
// br and gzip decoding (with Node's zlib) to the very bytes sent unencoded.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ADMIN, ADMIN_ENV, loginConsole, nav, openVisitor, useServer, waitUntil, watchErrors, withServerLog } from './harness.js';

const f = useServer({ env: ADMIN_ENV });

// recordViolations runs in every document before its own scripts (an init
// script is not subject to the page's CSP) and keeps each
// securitypolicyviolation event.
function recordViolations() {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`);
  });
}

// watchCSPConsole keeps what Chromium logs about Content-Security-Policy.
function watchCSPConsole(page) {
  const lines = [];
  page.on('console', (m) => {
    if (/content security policy|content-security-policy/i.test(m.text())) lines.push(`${m.type()}: ${m.text()}`);
  });
  return lines;
}

const violations = (page) => page.evaluate(() => window.__violations);

test('the console works under its CSP without a violation, and the CSP refuses inline script', withServerLog(async () => {
  const ctx = await f.newContext();
  await ctx.addInitScript(recordViolations);
  const page = await ctx.newPage();
  const errors = watchErrors(page, 'console');
  const cspLog = watchCSPConsole(page);
  const responses = [];
  page.on('response', (r) => responses.push(r));

  await loginConsole(page, f.server.base, ADMIN.email, ADMIN.password); // "Connected": the socket passed connect-src
  for (const view of ['Visitor List', 'History', 'Reports', 'Settings', 'Operators', 'Chats']) {
    await nav(page, view);
    await page.getByRole('navigation', { name: 'Main' }).locator('a[aria-current="page"]', { hasText: view }).waitFor();
  }
  // A reload of a console route: index.html again, revalidated (304) or not.
  await page.reload();
  await page.locator('.conn', { hasText: 'Connected' }).waitFor();

  const doc = responses.find((r) => r.request().resourceType() === 'document');
  const csp = (await doc.allHeaders())['content-security-policy'] ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `the console page's CSP: ${csp}`);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);

  // The browser got its script and stylesheet compressed, in a coding it asked for.
  for (const type of ['script', 'stylesheet']) {
    const r = responses.find((x) => x.request().resourceType() === type && x.url().includes('/console/assets/'));
    assert.ok(r, `the console's ${type} was loaded`);
    const asked = (await r.request().allHeaders())['accept-encoding'] ?? '';
    const coding = (await r.allHeaders())['content-encoding'];
    assert.ok(['br', 'gzip'].includes(coding) && asked.includes(coding), `${r.url()}: Content-Encoding ${coding} for Accept-Encoding "${asked}"`);
  }

  assert.deepEqual(await violations(page), [], 'securitypolicyviolation events');
  assert.deepEqual(cspLog, [], 'CSP messages in the console');
  assert.deepEqual(errors, []);

  // The recorders are live and the policy is enforced: an injected inline
  // script is refused, reported as an event and in the console, and never runs.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
  });
  await page.waitForFunction(() => window.__violations.length > 0);
  const [violation, ...more] = await violations(page);
  assert.match(violation, /^script-src-elem blocked inline/);
  assert.deepEqual(more, []);
  assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
  await waitUntil('Chromium to log the refused inline script', () => cspLog.length > 0);
}));

test('no page may frame the console (frame-ancestors)', withServerLog(async () => {
  const ctx = await f.newContext();
  const host = await openVisitor(ctx, f.server.base, '/demo/'); // a page of the same origin, even
  const cspLog = watchCSPConsole(host);
  // The frame's load event comes whether the console shows in it or not.
  await host.evaluate((src) => new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.onload = resolve;
    frame.src = src;
    document.body.append(frame);
  }), `${f.server.base}/console/`);
  const frames = host.frames().filter((fr) => fr !== host.mainFrame()).map((fr) => fr.url());
  assert.equal(frames.length, 1, `one frame: ${frames}`);
  assert.ok(!frames[0].startsWith(f.server.base), `the frame shows ${frames[0]}, not the console`);
  await waitUntil('Chromium to log the refusal to frame the console', () => cspLog.find((l) => /frame-ancestors 'none'/.test(l)));
}));

// get sends GET path with Accept-Encoding and resolves with the status,
// headers and body as they came over the wire (node:http decodes nothing).
function get(path, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const req = request(`${f.server.base}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('widget, panel and console files come as br and gzip that decode to the file', withServerLog(async (t) => {
  const index = (await get('/console/', 'identity')).body.toString();
  const assets = [...index.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
  assert.equal(assets.length, 2, `the console's script and stylesheet in ${index}`);
  for (const path of ['/widget.js', '/widget/panel.js', '/console/', ...assets]) {
    const plain = await get(path, 'identity');
    const br = await get(path, 'gzip, deflate, br, zstd');
    const gz = await get(path, 'gzip, deflate');
    assert.equal(plain.status, 200, path);
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    for (const r of [plain, br, gz]) assert.equal(r.headers.vary, 'Accept-Encoding', path);
    assert.ok(brotliDecompressSync(br.body).equals(plain.body), `${path}: br decodes to the file`);
    assert.ok(gunzipSync(gz.body).equals(plain.body), `${path}: gzip decodes to the file`);
    t.diagnostic(`${path}: ${plain.body.length} B, gzip ${gz.body.length} B, br ${br.body.length} B`);
  }
}));
