// The message box: Enter sends, Shift+Enter starts a new line.
import { useMemo, useState } from 'preact/hooks';
import { TypingSender } from '../../lib/typing';

export function Composer({ onSend, onTyping }: { onSend: (body: string) => void; onTyping?: (active: boolean) => void }) {
  const [text, setText] = useState('');
  const typing = useMemo(() => new TypingSender((active) => onTyping?.(active)), []);

  function send() {
    const body = text.trim();
    // The size limit is the server's setting (4096 bytes by default) and the
    // console is not told it: a message over it comes back as an error frame
    // and shows under the message as "Not sent: …".
    if (!body) return;
    onSend(body);
    setText('');
    typing.stop();
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="composer-text" class="sr-only">
        Message
      </label>
      <textarea
        id="composer-text"
        rows={2}
        placeholder="Type a message…"
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          typing.input(e.currentTarget.value);
        }}
        onBlur={() => typing.stop()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="primary" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}
