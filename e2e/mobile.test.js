// The widget on a phone (360 × 640): the open panel fills the screen with
// a clear close button; a smaller viewport (an on-screen keyboard) keeps
// the message box in view; "Launcher offset" lifts the button above the
// page's own bottom controls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, ADMIN_ENV, loginConsole, nav, openVisitor, openWidget, useServer, waitUntil, watchErrors, withServerLog } from './harness.js';

const f = useServer({ env: ADMIN_ENV });
const PHONE = { width: 360, height: 640 };

// savedBy clicks a Settings save button and waits for the server to take
// the change (the PATCH's answer), not for a "Saved" text that a reload of
// the settings, which the change itself sets off, may replace.
async function savedBy(page, click) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'PATCH'),
    click(),
  ]);
  assert.equal(res.status(), 200, await res.text());
}


test('on a 360 × 640 phone: full screen, a close button, the composer above the keyboard, the launcher offset', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password); // Online: the chat is offered

  const visCtx = await f.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const vis = await openVisitor(visCtx, f.server.base, '/demo/');
  errors.push(...watchErrors(vis, 'widget'));
  const launcher = vis.getByTestId('od-launcher');
  let box = await launcher.boundingBox();
  assert.equal(Math.round(box.y + box.height), PHONE.height - 20, 'the launcher sits 20 px above the bottom');

  await openWidget(vis);
  const panel = vis.getByTestId('od-panel');
  // (it slides in: wait for where it comes to rest)
  await waitUntil('the panel to fill the screen', async () => {
    const b = await panel.boundingBox();
    return [b.x, b.y, b.width, b.height].map(Math.round).join() === [0, 0, PHONE.width, PHONE.height].join();
  });
  assert.equal(await launcher.isVisible(), false, 'the launcher hides under the open panel');
  const close = vis.getByRole('button', { name: 'Minimize chat' });
  const cb = await close.boundingBox();
  assert.ok(cb.width >= 24 && cb.height >= 24 && cb.x + cb.width <= PHONE.width && cb.y >= 0, `a close button in view: ${JSON.stringify(cb)}`);

  // An on-screen keyboard leaves 300 px: the message box stays in view.
  await vis.setViewportSize({ width: PHONE.width, height: 300 });
  await waitUntil('the panel to fit the smaller viewport', async () => Math.round((await panel.boundingBox()).height) === 300);
  const input = await vis.getByTestId('od-input').boundingBox();
  assert.ok(input.y >= 0 && input.y + input.height <= 300, `the message box is in view: ${JSON.stringify(input)}`);
  await vis.setViewportSize(PHONE);
  // A phone's keyboard shrinks only the visual viewport, not the layout
  // one; zooming the page in does the same, and the panel follows it.
  const cdp = await visCtx.newCDPSession(vis);
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
  await waitUntil('the panel to follow the visual viewport', async () => panel.evaluate((el) => {
    const vv = window.visualViewport;
    return vv.height < 400 && Math.round(el.getBoundingClientRect().height) === Math.round(vv.height);
  }));
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
  await close.click();
  await panel.waitFor({ state: 'hidden' });
  await launcher.waitFor({ state: 'visible' });

  // "Launcher offset": 80 px more above the bottom, from the next page on.
  await nav(op, 'Settings');
  await op.getByLabel("Launcher offset (pixels above the page's bottom edge)").fill('80');
  await savedBy(op, () => op.getByRole('button', { name: 'Save offset' }).click());
  await vis.reload();
  await waitUntil('the launcher to move up by the offset', async () => {
    const b = await launcher.boundingBox();
    return b && Math.round(b.y + b.height) === PHONE.height - 20 - 80;
  });

  assert.deepEqual(errors, []);
  await visCtx.close();
  await opCtx.close();
}));
