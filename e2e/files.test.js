// Files and images, both ways: an image pasted in the widget reaches the
// operator as a thumbnail; a PDF the operator attaches reaches the widget
// and downloads; a text file dropped on the console's chat arrives too. A
// file of a type not allowed, and one over the limit (set small through
// the settings API), are refused with a message; another visitor cannot
// read the first one's file; the transcript lists the files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  acceptTicket,
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  openVisitor,
  openWidget,
  textOf,
  useServer,
  visitorSend,
  waitUntil,
  watchErrors,
  withServerLog,
} from './harness.js';

const f = useServer({ env: ADMIN_ENV });

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

// loaded: an <img> that shows a picture (it loaded and decoded).
const loaded = (img) => img.evaluate((el) => el.complete && el.naturalWidth > 0);

test('files both ways: paste, attach, drop; limits; another visitor; the transcript', withServerLog(async () => {
  const opCtx = await f.newContext();
  const visCtx = await f.newContext({ acceptDownloads: true });
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);

  const vis = await openVisitor(visCtx, f.server.base, '/demo/product');
  errors.push(...watchErrors(vis, 'widget'));
  await openWidget(vis);
  await visitorSend(vis, 'Here is a photo of the damage');
  const chatId = await acceptTicket(op, 'Here is a photo of the damage');
  const pane = op.getByTestId('chat-pane');

  // The visitor pastes an image into the message box; the progress line
  // under the messages says it is on its way (recorded as it changes).
  await vis.getByTestId('od-attach').waitFor({ state: 'visible' });
  await vis.evaluate(() => {
    const line = document.querySelector('outputdesk-widget').shadowRoot.querySelector('[data-testid=od-upload]');
    window.progressSeen = [];
    new MutationObserver(() => line.textContent && window.progressSeen.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
  });
  await vis.getByTestId('od-input').evaluate((el, b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, png.toString('base64'));
  const thumb = pane.getByTestId('file-image');
  await thumb.waitFor();
  await waitUntil('the thumbnail to load in the console', () => loaded(thumb));
  await waitUntil('the thumbnail to load in the widget', () => loaded(vis.getByTestId('od-file-image')));
  const fileId = Number((await thumb.getAttribute('src')).split('/').pop());
  const seen = await vis.evaluate(() => window.progressSeen);
  assert.ok(seen.length > 0 && seen.every((t) => /^Sending image\.png…( \d+%)?$/.test(t)), `widget progress: ${seen}`);

  // The operator sends a PDF with the attach button (its progress shows
  // under the message box); the visitor downloads it.
  await op.evaluate(() => {
    window.progressSeen = [];
    const pane = document.querySelector('[data-testid=chat-pane]');
    new MutationObserver(() => {
      const line = pane.querySelector('[data-testid=file-status]');
      if (line) window.progressSeen.push(line.textContent);
    }).observe(pane, { childList: true, characterData: true, subtree: true });
  });
  await pane.getByTestId('file-input').setInputFiles({ name: 'price-list.pdf', mimeType: 'application/pdf', buffer: pdf });
  const pdfButton = vis.getByTestId('od-file').filter({ hasText: 'price-list.pdf' });
  await pdfButton.waitFor();
  assert.equal(await textOf(pdfButton), `📄 price-list.pdf (${pdf.length} bytes)`);
  const [download] = await Promise.all([vis.waitForEvent('download'), pdfButton.click()]);
  assert.equal(download.suggestedFilename(), 'price-list.pdf');
  assert.deepEqual(readFileSync(await download.path()), pdf);
  const opSeen = await op.evaluate(() => window.progressSeen);
  assert.ok(opSeen.some((t) => /^Sending price-list\.pdf… \d+%$/.test(t)), `console progress: ${opSeen}`);

  // A file dropped on the console's chat.
  await pane.evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Order 1234: shipped on Monday.\n'], 'order.txt', { type: 'text/plain' }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await vis.getByTestId('od-file').filter({ hasText: 'order.txt' }).waitFor();

  // A type that is not allowed: refused with the server's message.
  const uploads = [];
  vis.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/visitor/files') && uploads.push(r.url()));
  await vis.getByTestId('od-file-input').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
  await vis.getByTestId('od-error').getByText('This type of file is not allowed').waitFor();
  assert.equal(uploads.length, 1);

  // The limit, set small through the settings API: refused before sending.
  const apiCtx = await f.newContext();
  const login = await apiCtx.request.post(`${f.server.base}/api/session`, { data: ADMIN });
  const { csrf_token: csrf } = await login.json();
  const patch = await apiCtx.request.patch(`${f.server.base}/api/settings`, { data: { max_file_bytes: 2048 }, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(patch.status(), 200, await patch.text());
  const big = Buffer.concat([pdf, Buffer.alloc(3000, 48)]);
  await vis.getByTestId('od-file-input').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: big });
  await vis.getByTestId('od-error').getByText('This file is larger than 2 KB, the largest allowed').waitFor();
  assert.equal(uploads.length, 1, 'a file over the limit was sent');
  await pane.getByTestId('file-input').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: big });
  await pane.getByTestId('file-status').getByText('big.pdf: This file is larger than 2 KB, the largest allowed').waitFor();

  // Another visitor, with a token of its own, cannot read the first one's file.
  const otherCtx = await f.newContext();
  const other = await openVisitor(otherCtx, f.server.base, '/demo/');
  await openWidget(other);
  const statuses = await other.evaluate(async (id) => {
    const key = document.querySelector('script[data-site-key]').dataset.siteKey;
    const token = localStorage.getItem(`outputdesk:${key}:token`);
    const url = `/api/visitor/files/${id}?site_key=${key}`;
    const own = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const bare = await fetch(url);
    return [own.status, bare.status, (await own.json()).code];
  }, fileId);
  assert.deepEqual(statuses, [404, 401, 'not_found']);

  // The transcript lists the files by name and size.
  await vis.getByTestId('od-cancel').click();
  await vis.getByTestId('od-ended').waitFor({ state: 'visible' });
  const [transcript] = await Promise.all([vis.waitForEvent('download'), vis.getByTestId('od-transcript').click()]);
  const text = readFileSync(await transcript.path(), 'utf8');
  assert.match(text, /You: File: image\.png \(\d+ bytes\)\n/);
  assert.match(text, new RegExp(`Admin: File: price-list\\.pdf \\(${pdf.length} bytes\\)\\n`));
  assert.match(text, /Admin: File: order\.txt \(\d+ bytes\)\n/);
  assert.ok(chatId > 0);

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
  await otherCtx.close();
  await apiCtx.close();
}));
