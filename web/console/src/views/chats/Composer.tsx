// The message box: Enter sends, Shift+Enter starts a new line.
import { useState } from 'preact/hooks';

// disabled: the console is not connected, so nothing typed could be sent now.
export function Composer({ onSend, disabled = false }: { onSend: (body: string) => void; disabled?: boolean }) {
  const [text, setText] = useState('');

  function send() {
    const body = text.trim();
    // The size limit is the server's setting (4096 bytes by default) and the
    // console is not told it: a message over it comes back as an error frame
    // and shows under the message as "Not sent: …".
    if (!body || disabled) return;
    onSend(body);
    setText('');
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
        disabled={disabled}
        placeholder="Type a message…"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="primary" disabled={disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}
