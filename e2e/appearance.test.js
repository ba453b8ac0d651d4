// Settings > Appearance > "Widget" ("Make it ours"): the admin picks an
// accent colour, the left side, a title, a greeting and names off in the
// real Settings form, and the preview follows before saving; a widget
// already on the page gets them at its next load (the launcher on the left
// in the new colour, the title and greeting, the operator as "Support" in
// every frame it receives). A low-contrast colour is refused with its
// ratio. RTL text, a long greeting and a 400 % zoom keep the panel usable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  acceptTicket,
  loginConsole,
  nav,
  openVisitor,
  openWidget,
  operatorSend,
  textOf,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

const GREEN = '#0b6e4f';
const GREEN_RGB = 'rgb(11, 110, 79)';
const DEFAULT_RGB = 'rgb(35, 87, 217)'; // #2357d9
const TITLE = 'تحدث معنا — Acme';
const GREETING = 'Welcome to Acme! ' + 'We answer every question within minutes, on weekdays and weekends. '.repeat(5) + 'x'.repeat(90);

// patchBy clicks a Settings save button and returns the PATCH's answer (not
// a "Saved" text, which the settings reload the change sets off may replace).
async function patchBy(page, click) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'PATCH'),
    click(),
  ]);
  return res;
}

const bg = (locator) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);

// inView asserts a box lies within a viewport of width × height.
function inView(box, width, height, what) {
  assert.ok(box, `${what} is shown`);
  const ok = box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
  assert.ok(ok, `${what} stays in the ${width} × ${height} viewport: ${JSON.stringify(box)}`);
}

// noOverflow asserts nothing in the open panel is wider than the panel.
async function noOverflow(page, what) {
  const wide = await page.getByTestId('od-panel').evaluate((p) => {
    const r = p.getBoundingClientRect();
    const out = [];
    for (const el of p.querySelectorAll('*')) {
      const b = el.getBoundingClientRect();
      if (b.width && (b.left < r.left - 0.5 || b.right > r.right + 0.5)) out.push(el.className + ' ' + Math.round(b.left) + '..' + Math.round(b.right));
    }
    return out;
  });
  assert.deepEqual(wide, [], `${what}: elements out of the panel`);
}

test('Appearance: set in Settings with a live preview, picked up by a widget already on the page at its next load', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password); // Online: the widget offers a chat

  // A widget already on the page, with the default look.
  const visCtx = await f.newContext({ viewport: { width: 1280, height: 800 } });
  const vis = await openVisitor(visCtx, f.server.base, '/demo/');
  errors.push(...watchErrors(vis, 'widget'));
  const frames = []; // every frame the widget receives
  vis.on('websocket', (ws) => ws.on('framereceived', (e) => frames.push(String(e.payload))));
  const launcher = vis.getByTestId('od-launcher');
  assert.equal(await bg(launcher), DEFAULT_RGB);
  let box = await launcher.boundingBox();
  assert.equal(Math.round(box.x + box.width), 1280 - 20, 'the launcher starts on the right');

  await nav(op, 'Settings');
  const look = op.getByRole('form', { name: 'Widget' });
  const colour = look.getByLabel('Accent colour', { exact: true });
  const contrast = look.getByTestId('accent-contrast');
  const preview = look.getByTestId('widget-preview');

  // A colour white text cannot be read on: the ratio shows as it is typed,
  // and the server refuses it with the ratio; nothing changes.
  await colour.fill('#ffcc00');
  await contrast.filter({ hasText: 'Contrast with white text: 1.51:1 — too low' }).waitFor();
  const refused = await patchBy(op, () => look.getByRole('button', { name: 'Save appearance' }).click());
  assert.equal(refused.status(), 400);
  assert.match((await refused.json()).error, /#ffcc00 has a contrast ratio of 1\.51:1 with white text; it needs at least 4\.5:1/);
  await look.getByRole('alert').filter({ hasText: 'contrast ratio of 1.51:1' }).waitFor();

  // The new look, in the preview before saving.
  await colour.fill(GREEN);
  await contrast.filter({ hasText: /Contrast with white text: 6\.\d\d:1 — passes WCAG AA/ }).waitFor();
  await look.getByLabel('Launcher position').selectOption('left');
  await look.locator('#panel-title').fill(TITLE);
  await look.getByLabel('Greeting').fill(GREETING);
  await look.getByLabel("Show operators' names to visitors").uncheck();
  assert.equal(await textOf(preview.getByTestId('preview-title')), TITLE);
  assert.equal(await textOf(preview.getByTestId('preview-greeting')), GREETING.trim());
  assert.equal(await textOf(preview.getByTestId('preview-operator')), 'Support');
  assert.equal(await bg(preview.getByTestId('preview-launcher')), GREEN_RGB);
  const pb = await preview.boundingBox();
  const lb = await preview.getByTestId('preview-launcher').boundingBox();
  assert.ok(lb.x + lb.width / 2 < pb.x + pb.width / 2, 'the preview shows the launcher on the left');
  const saved = await patchBy(op, () => look.getByRole('button', { name: 'Save appearance' }).click());
  assert.equal(saved.status(), 200, await saved.text());

  // The widget already on the page: its next load.
  await vis.reload();
  await waitUntil('the launcher in the new colour', async () => (await bg(launcher)) === GREEN_RGB);
  box = await launcher.boundingBox();
  assert.equal(Math.round(box.x), 20, 'the launcher is on the left');
  await openWidget(vis);
  const panel = vis.getByTestId('od-panel');
  assert.equal(await textOf(vis.getByTestId('od-title')), TITLE);
  assert.equal(await vis.getByTestId('od-title').evaluate((el) => getComputedStyle(el).direction), 'rtl', 'an Arabic title reads right to left');
  assert.equal(await textOf(vis.getByTestId('od-greeting')), GREETING.trim());
  const gb = await vis.getByTestId('od-greeting').boundingBox();
  const mb = await vis.getByTestId('od-messages').boundingBox();
  assert.ok(gb.y - mb.y < 24, `the greeting opens the empty chat, at its top: ${gb.y} vs ${mb.y}`);
  assert.equal(await panel.getAttribute('aria-label'), TITLE, 'the dialog is named by its title');
  box = await panel.boundingBox();
  assert.equal(Math.round(box.x), 20, 'the panel opens on the left');
  inView(box, 1280, 800, 'the panel');
  await noOverflow(vis, 'a long greeting');

  // The operator is "Support" everywhere the visitor sees them.
  await visitorSend(vis, 'Do you ship to Norway?');
  await nav(op, 'Chats');
  const chatId = await acceptTicket(op, 'Do you ship to Norway?');
  await vis.getByTestId('od-joined').filter({ hasText: 'Support joined the chat' }).waitFor();
  await op.getByTestId('chat-pane').getByLabel('Message').fill('Let me check');
  await vis.getByTestId('od-typing').filter({ hasText: 'Support is typing…' }).waitFor();
  await operatorSend(op, 'Yes, we do.');
  const reply = vis.getByTestId('od-messages').locator('.g.o', { hasText: 'Yes, we do.' });
  await reply.waitFor();
  assert.equal(await textOf(reply.locator('.n')), 'Support');
  await panel.locator('.st').filter({ hasText: 'Chatting with Support' }).waitFor();
  assert.ok(chatId > 0);
  assert.doesNotMatch(await panel.textContent(), /Admin/);
  await vis.reload(); // the transcript again, from the welcome; the panel was open, so it opens again
  await panel.waitFor({ state: 'visible' });
  await reply.waitFor();
  assert.equal(await textOf(reply.locator('.n')), 'Support');
  const named = frames.filter((p) => p.includes('Admin'));
  assert.deepEqual(named, [], "no frame the visitor got carries the operator's name");
  assert.ok(frames.some((p) => p.includes('"name":"Support"')), 'the frames carry "Support"');

  // A right-to-left page: the panel and the launcher stay in the viewport.
  await vis.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
  inView(await panel.boundingBox(), 1280, 800, 'the panel on an RTL page');
  inView(await vis.getByTestId('od-input').boundingBox(), 1280, 800, 'the message box on an RTL page');
  await noOverflow(vis, 'an RTL page');
  await vis.getByTestId('od-close').click();
  inView(await launcher.boundingBox(), 1280, 800, 'the launcher on an RTL page');

  assert.deepEqual(errors, []);
  await visCtx.close();
  await opCtx.close();
}));

test('at 400 % zoom (1280 px wide at 4 device pixels a CSS pixel) the panel stays usable', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password); // Online: the message box, not "Leave a message"
  const W = 320;
  const H = 256;
  const ctx = await f.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 4 });
  const vis = await openVisitor(ctx, f.server.base, '/demo/');
  const errors = watchErrors(vis, 'widget');
  inView(await vis.getByTestId('od-launcher').boundingBox(), W, H, 'the launcher');
  await openWidget(vis);
  const panel = vis.getByTestId('od-panel');
  await waitUntil('the panel to fill the zoomed viewport', async () => {
    const b = await panel.boundingBox();
    return [b.x, b.y, b.width, b.height].map(Math.round).join() === [0, 0, W, H].join();
  });
  await vis.getByTestId('od-greeting').waitFor(); // the long greeting of the first test
  await noOverflow(vis, 'at 400 %');
  for (const id of ['od-input', 'od-send', 'od-close', 'od-title']) inView(await vis.getByTestId(id).boundingBox(), W, H, id);
  await visitorSend(vis, 'Zoomed in');
  await vis.getByTestId('od-messages').locator('.g.v', { hasText: 'Zoomed in' }).waitFor();
  await vis.getByTestId('od-close').click();
  await panel.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await ctx.close();
  await opCtx.close();
}));
