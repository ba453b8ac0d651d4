// Chats that end by themselves. The servers run with timeouts of a few
// seconds (inactivity 4 s; visitor left 2 s), so the tests wait for what the
// user sees, never for a fixed time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  ADMIN_ENV,
  loginConsole,
  nav,
  openVisitor,
  openWidget,
  operatorSend,
  startServer,
  textOf,
  useServer,
  visitorSend,
  WAIT,
  watchErrors,
  withServerLog,
} from './harness.js';

const INACTIVITY = 'Due to inactivity, chat has ended';

const f = useServer({
  args: ['--inactivity-timeout', '4s', '--left-timeout', '2s'],
  env: ADMIN_ENV,
});

// takeChat: the visitor on path writes first; the admin accepts the ticket;
// the visitor writes again (which restarts the inactivity clock) and the
// admin answers. Returns the chat id and the visitor's name.
async function startTakenChat(op, vis, first, second, answer) {
  await openWidget(vis);
  await visitorSend(vis, first);
  const ticket = op.getByTestId('tickets').locator('[data-testid^="chat-item-"]', { hasText: first });
  await ticket.waitFor({ timeout: WAIT });
  const chatId = Number((await ticket.getAttribute('data-testid')).replace('chat-item-', ''));
  await ticket.getByRole('link').click();
  const pane = op.getByTestId('chat-pane');
  await pane.getByRole('button', { name: 'Accept' }).click();
  await pane.getByLabel('Message').waitFor({ timeout: WAIT });
  const visitorName = await textOf(pane.locator('.chat-head h2'));
  await visitorSend(vis, second);
  await pane.getByTestId('messages').locator('.msg-bubble', { hasText: second }).waitFor({ timeout: WAIT });
  await operatorSend(op, answer);
  await vis.getByTestId('od-messages').locator('[data-testid^="od-message-"]', { hasText: answer }).waitFor({ timeout: WAIT });
  return { chatId, visitorName };
}

test('a chat nobody writes in ends by inactivity: widget, console, Visitor List and History say so', withServerLog(async () => {
  const opCtx = await f.browser.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, f.server.base, ADMIN.email, ADMIN.password);
  const visCtx = await f.browser.newContext();
  const vis = await openVisitor(visCtx, f.server.base, '/demo/');
  errors.push(...watchErrors(vis, 'widget'));

  const first = 'Hello, are you open on Sundays?';
  const second = 'I mean the roastery shop.';
  const answer = 'We are, from 10 to 4.';
  const { chatId, visitorName } = await startTakenChat(op, vis, first, second, answer);

  // Nobody writes any more. The visitor stays on the page.
  const ended = vis.getByTestId('od-ended');
  await ended.waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await textOf(ended), INACTIVITY);
  await vis.getByTestId('od-messages').locator('[data-testid^="od-message-"]', { hasText: INACTIVITY }).waitFor({ timeout: WAIT });
  await vis.getByTestId('od-cancel').waitFor({ state: 'hidden', timeout: WAIT });

  const pane = op.getByTestId('chat-pane');
  const notice = pane.getByTestId('chat-ended');
  await notice.waitFor({ timeout: WAIT });
  assert.match(await textOf(notice), new RegExp(`^${INACTIVITY}`));
  assert.match(await textOf(notice), /Ended automatically/);
  await pane.getByTestId('messages').locator('.msg-system', { hasText: INACTIVITY }).waitFor({ timeout: WAIT });
  assert.equal(await pane.getByLabel('Message').count(), 0, 'no message box on an ended chat');

  // The Visitor List row says it too.
  await nav(op, 'Visitor List');
  const row = op
    .getByTestId('visitor-list')
    .locator('[data-testid^="visitor-row-"]', { has: op.locator('.cell-name', { hasText: visitorName }) });
  await row.locator('.cell-status', { hasText: INACTIVITY }).waitFor({ timeout: WAIT });

  // History lists the chat; opening it shows the transcript and how it ended.
  await nav(op, 'History');
  const hist = op.getByTestId('history').getByTestId(`history-chat-${chatId}`);
  await hist.waitFor({ timeout: WAIT });
  assert.match(await textOf(hist), new RegExp(INACTIVITY));
  assert.match(await textOf(hist), /Admin/);
  await hist.getByRole('button', { name: visitorName }).click();
  const detail = op.getByTestId('history-detail');
  await detail.waitFor({ timeout: WAIT });
  await detail.getByTestId('chat-ended').getByText(INACTIVITY).waitFor({ timeout: WAIT });
  const transcript = detail.getByTestId('messages');
  await transcript.locator('.msg-bubble').first().waitFor({ timeout: WAIT });
  assert.deepEqual(await transcript.locator('.msg-bubble').allTextContents(), [first, second, answer]);
  assert.deepEqual(await transcript.locator('.msg-system .msg-note').allTextContents(), [INACTIVITY]);

  const res = await op.request.get(`${f.server.base}/api/chats/${chatId}`);
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
  // inactivity (60 s), so the chat can only end because the visitor left.
  const leftServer = await startServer({
    args: ['--inactivity-timeout', '60s', '--left-timeout', '2s', '--presence-grace', '1s'],
    env: ADMIN_ENV,
  });
  f.alsoStop(leftServer);
  const base = leftServer.base;
  const opCtx = await f.browser.newContext();
  const op = await opCtx.newPage();
  const errors = watchErrors(op, 'console');
  await loginConsole(op, base, ADMIN.email, ADMIN.password);
  const visCtx = await f.browser.newContext();
  const vis = await openVisitor(visCtx, base, '/demo/');

  const first = 'Quick question about beans';
  const second = 'Are they fair trade?';
  const answer = 'Yes, all of them.';
  const { chatId } = await startTakenChat(op, vis, first, second, answer);

  // The visitor closes the tab: after the presence grace the console says
  // the visitor left, then the chat ends with the inactivity text.
  await vis.close();
  const pane = op.getByTestId('chat-pane');
  const left = pane.getByTestId('visitor-left');
  await left.waitFor({ timeout: WAIT });
  assert.match(await textOf(left), /^Visitor left the site/);
  await pane.getByTestId('messages').locator('.msg-system', { hasText: 'Visitor left the site' }).waitFor({ timeout: WAIT });
  const notice = pane.getByTestId('chat-ended');
  await notice.waitFor({ timeout: WAIT });
  assert.match(await textOf(notice), new RegExp(`^${INACTIVITY}`));

  await pane.getByTestId('messages').locator('.msg-system', { hasText: INACTIVITY }).waitFor({ timeout: WAIT });

  const res = await op.request.get(`${base}/api/chats/${chatId}`);
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
