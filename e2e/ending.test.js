// Chats that end by themselves, after timeouts of a few seconds, so the
// tests wait for what the user sees, never for a fixed time, and for as long
// as the machine takes to show it.
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
  operatorSend,
  startServer,
  textOf,
  useServer,
  visitorSend,
  watchErrors,
  withServerLog,
} from './harness.js';

const INACTIVITY = 'Due to inactivity, chat has ended';

// The first test sets up its chat under the default timeouts (20 min), so
// however slow the machine, nothing ends early; then the admin shortens the
// inactivity timeout in Settings and the visitor writes last: the chat ends
// 4 s after that message.
const f = useServer({ env: ADMIN_ENV });

// takeChat: the visitor on path writes first; the admin accepts the ticket;
// the visitor writes again (which restarts the inactivity clock) and the
// admin answers. Returns the chat id and the visitor's name.
async function startTakenChat(op, vis, first, second, answer) {
  await openWidget(vis);
  await visitorSend(vis, first);
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: first });
  await ticket.waitFor();
  const chatId = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await pane.getByLabel('Message').waitFor();
  const visitorName = await textOf(pane.locator('.chat-head h2'));
  await visitorSend(vis, second);
  await pane.getByTestId('messages').locator('.msg-bubble', { hasText: second }).waitFor();
  await operatorSend(op, answer);
  await vis.getByTestId('od-messages').locator('[data-testid^="od-message-"]', { hasText: answer }).waitFor();
  return { chatId, visitorName };
}

test('a chat nobody writes in ends by inactivity: widget, console, Visitor List and History say so', withServerLog(async () => {
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  const visCtx = await f.newContext();
  const vis = await openVisitor(visCtx, f.server.base, '/demo/');
  errors.push(...watchErrors(vis, 'widget'));

  const first = 'Hello, are you open on Sundays?';
  const second = 'I mean the roastery shop.';
  const answer = 'We are, from 10 to 4.';
  const { chatId, visitorName } = await startTakenChat(op, vis, first, second, answer);

  // Settings > Chat Rules: inactivity timeout 4 s, in a second console tab.
  const settings = await opCtx.newPage();
  errors.push(...watchErrors(settings, 'console settings'));
  await settings.goto(`${f.server.base}/console/`);
  await nav(settings, 'Settings');
  const rules = settings.locator('#chat-rules');
  await rules.getByLabel('Inactivity timeout minutes').fill('0');
  await rules.getByLabel('Inactivity timeout seconds').fill('4');
  await rules.getByRole('button', { name: 'Save timeouts' }).click();
  await rules.getByText('Saved.').waitFor();

  // The visitor writes last: 4 s later the chat ends. The visitor stays on
  // the page, and nobody writes any more.
  const third = 'Thanks, see you then.';
  await visitorSend(vis, third);
  await op.getByTestId('chat-pane').getByTestId('messages').locator('.msg-bubble', { hasText: third }).waitFor();
  const ended = vis.getByTestId('od-ended');
  await ended.waitFor({ state: 'visible' });
  assert.equal(await textOf(ended), INACTIVITY);
  // Said once: the transcript's closing line is hidden under the end block,
  // which names no one (nobody clicked "Cancel").
  await vis.getByTestId('od-messages').locator('[data-testid^="od-message-"]', { hasText: INACTIVITY }).waitFor({ state: 'hidden' });
  assert.equal(await vis.getByTestId('od-panel').getByText(INACTIVITY).filter({ visible: true }).count(), 1);
  assert.equal(await vis.getByTestId('od-ended-by').isVisible(), false);
  await vis.getByTestId('od-cancel').waitFor({ state: 'hidden' });

  const pane = op.getByTestId('chat-pane');
  const notice = pane.getByTestId('chat-ended');
  await notice.waitFor();
  assert.match(await textOf(notice), new RegExp(`^${INACTIVITY}`));
  assert.match(await textOf(notice), /Ended automatically/);
  // Said once: the closing system line (the chat list's last line once it
  // arrived) is not repeated above the notice.
  await op.getByTestId(`chat-item-${chatId}`).locator('.chat-item-last', { hasText: INACTIVITY }).waitFor();
  assert.equal(await pane.getByText(INACTIVITY).count(), 1);
  assert.equal(await pane.getByLabel('Message').count(), 0, 'no message box on an ended chat');

  // The Visitor List row says it too.
  await nav(op, 'Visitor List');
  const row = op
    .getByTestId('visitor-list')
    .locator('[data-testid^="visitor-row-"]', { has: op.locator('.cell-name', { hasText: visitorName }) });
  await row.locator('.cell-status', { hasText: INACTIVITY }).waitFor();

  // History lists the chat; opening it shows the transcript and how it ended.
  await nav(op, 'History');
  const hist = op.getByTestId('history').getByTestId(`history-chat-${chatId}`);
  await hist.waitFor();
  assert.match(await textOf(hist), new RegExp(INACTIVITY));
  assert.match(await textOf(hist), /Admin/);
  await hist.getByRole('button', { name: visitorName }).click();
  const detail = op.getByTestId('history-detail');
  await detail.waitFor();
  await detail.getByTestId('chat-ended').getByText(INACTIVITY).waitFor();
  const transcript = detail.getByTestId('messages');
  await transcript.locator('.msg-bubble').first().waitFor();
  assert.deepEqual(await transcript.locator('.msg-bubble').allTextContents(), [first, second, answer, third]);
  // The closing line is stored (the API below) but said once, by the notice.
  assert.deepEqual(await transcript.locator('.msg-system .msg-note').allTextContents(), []);
  assert.equal(await detail.getByText(INACTIVITY).count(), 1);

  const res = await apiGet(op, `${f.server.base}/api/chats/${chatId}`);
  const { chat } = await res.json();
  assert.equal(chat.state, 'ended');
  assert.equal(chat.end_reason, 'inactivity');
  assert.equal(chat.ended_by, 'system');

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));

test('a visitor who leaves and does not come back: the console counts down, then the chat ends', withServerLog(async () => {
  // Its own server, where leaving (grace 1 s + 2 s) comes long before
  // inactivity (the default, 20 min: longer than a test file may run, so
  // however slow the set-up, the chat cannot end by inactivity), so the
  // chat can only end because the visitor left.
  const leftServer = await startServer({
    args: ['--left-timeout', '2s', '--presence-grace', '1s'],
    env: ADMIN_ENV,
  });
  f.alsoStop(leftServer);
  const base = leftServer.base;
  const opCtx = await f.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, base, ADMIN.email, ADMIN.password);
  const visCtx = await f.newContext();
  const vis = await openVisitor(visCtx, base, '/demo/');

  const first = 'Quick question about beans';
  const second = 'Are they fair trade?';
  const answer = 'Yes, all of them.';
  const { chatId } = await startTakenChat(op, vis, first, second, answer);

  // The "Visitor left the site" notice shows only from the visitor's
  // leaving to the chat's end, 2 s later: a busy machine may not look in
  // that time, so the page itself records the notice when it appears.
  await op.evaluate(() => {
    const record = () => {
      const notice = document.querySelector('[data-testid="chat-pane"] [data-testid="visitor-left"]');
      if (notice && window.__leftNotice === undefined) window.__leftNotice = notice.textContent.trim();
    };
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  // The visitor closes the tab: after the presence grace the console says
  // the visitor left, then the chat ends with the inactivity text.
  await vis.close();
  const pane = op.getByTestId('chat-pane');
  await pane.getByTestId('messages').locator('.msg-system', { hasText: 'Visitor left the site' }).waitFor();
  const notice = pane.getByTestId('chat-ended');
  await notice.waitFor();
  assert.match(await textOf(notice), new RegExp(`^${INACTIVITY}`));
  assert.match(String(await op.evaluate(() => window.__leftNotice)), /^Visitor left the site/, 'the console showed that the visitor left');

  await op.getByTestId(`chat-item-${chatId}`).locator('.chat-item-last', { hasText: INACTIVITY }).waitFor();
  assert.equal(await pane.getByText(INACTIVITY).count(), 1, 'the console says it once');

  const res = await apiGet(op, `${base}/api/chats/${chatId}`);
  const { chat, messages } = await res.json();
  assert.equal(chat.state, 'ended');
  assert.equal(chat.end_reason, 'left');
  assert.equal(chat.end_text, INACTIVITY);
  assert.deepEqual(
    messages.filter((m) => m.author === 'system').map((m) => m.body),
    ['Visitor left the site', INACTIVITY],
  );

  assert.deepEqual(errors, []);
  await opCtx.close();
  await visCtx.close();
}));
