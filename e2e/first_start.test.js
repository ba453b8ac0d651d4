// Issue 2: a fresh start asks for the first admin in the console, and the
// widget loads without slowing the host page: async, in a shadow root, with
// the chat panel pulled only when it opens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  openVisitor,
  openWidget,
  useServer,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer(); // no admin: the console must ask for one

test('a fresh start shows "Create admin account" once; the new admin is logged in', withServerLog(async () => {
  const ctx = await f.newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page, 'console');
  await page.goto(`${f.server.base}/console/`);
  await page.getByRole('heading', { name: 'Create admin account' }).waitFor();
  await page.getByLabel('Name').fill('Ada Admin');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await page.getByTestId('status').waitFor();
  await page.getByText('Ada Admin').first().waitFor();

  // once an admin exists, a new browser gets the login page instead
  const other = await (await f.newContext()).newPage();
  await other.goto(`${f.server.base}/console/`);
  await other.getByRole('button', { name: 'Log in' }).waitFor();
  assert.equal(await other.getByRole('heading', { name: 'Create admin account' }).count(), 0);
  assert.deepEqual(errors, []);
}));

test('the widget loads async in a shadow root and pulls the panel only when opened', withServerLog(async () => {
  const ctx = await f.newContext();
  const vis = await openVisitor(ctx, f.server.base, '/demo/');
  const errors = watchErrors(vis, 'widget');
  const snippet = await vis.evaluate(() => {
    const s = document.querySelector('script[data-site-key]');
    return { async: s.async, src: new URL(s.src).pathname };
  });
  assert.deepEqual(snippet, { async: true, src: '/widget.js' });
  const shadow = await vis.evaluate(() => {
    const host = document.querySelector('outputdesk-widget');
    return { mode: host?.shadowRoot?.mode, lightChildren: host?.children.length, launcher: !!host?.shadowRoot?.querySelector('[data-testid="od-launcher"]') };
  });
  assert.deepEqual(shadow, { mode: 'open', lightChildren: 0, launcher: true }, 'the UI lives in an open shadow root');
  assert.equal(await vis.evaluate(() => !!document.querySelector('[data-testid="od-panel"]')), false, 'nothing leaks into the page');
  assert.equal(await vis.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/widget/panel.js'))), false,
    'panel.js must not load before the widget opens');

  await openWidget(vis);
  assert.equal(await vis.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/widget/panel.js'))), true,
    'opening the widget pulls panel.js');
  assert.deepEqual(errors, []);
}));
