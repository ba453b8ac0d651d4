// The message box: Enter sends, Shift+Enter starts a new line; "/" opens
// the canned replies (CannedPicker.tsx); typing is shown to the visitor.
import { useMemo, useRef, useState } from 'preact/hooks';
import { TypingSender } from '../../lib/typing';
import { useRoute } from '../../lib/route';
import { useLiveContext } from '../../state/useLive';
import { useCannedPicker } from './CannedPicker';
import { AttachButton } from './FileAttach';

// disabled: the console is not connected, so nothing typed could be sent now.
export function Composer({
  onSend,
  onTyping,
  onFiles,
  disabled = false,
}: {
  onSend: (body: string) => void;
  onTyping?: (active: boolean) => void;
  /** files attached, dropped or pasted */
  onFiles?: (files: File[]) => void;
  disabled?: boolean;
}) {
  const [text, setText] = useState('');
  const typing = useMemo(() => new TypingSender((active) => onTyping?.(active)), []);
  const box = useRef<HTMLTextAreaElement>(null);
  const { state } = useLiveContext();
  const chatId = useRoute().chatId;
  const visitorName = (chatId !== null && state.chats[chatId]?.visitor.name) || 'Visitor';
  const canned = useCannedPicker({ text, setText, box, visitorName });

  function send() {
    const body = text.trim();
    // The size limit is the server's setting (4096 bytes by default) and the
    // console is not told it: a message over it comes back as an error frame
    // and shows under the message as "Not sent: …".
    if (!body || disabled) return;
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
      {canned.popup}
      <textarea
        id="composer-text"
        ref={box}
        rows={2}
        disabled={disabled}
        placeholder="Type a message, or / for canned replies…"
        value={text}
        {...canned.boxProps}
        onInput={(e) => {
          setText(e.currentTarget.value);
          typing.input(e.currentTarget.value);
          canned.track(e.currentTarget);
        }}
        onBlur={() => typing.stop()}
        onPaste={(e) => {
          const files = Array.from(e.clipboardData?.files ?? []);
          if (files.length && onFiles) {
            e.preventDefault();
            onFiles(files);
          }
        }}
        onClick={(e) => canned.track(e.currentTarget)}
        onKeyUp={(e) => (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') && canned.track(e.currentTarget)}
        onKeyDown={(e) => {
          if (canned.onKeyDown(e)) return;
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      {onFiles && <AttachButton onFiles={onFiles} disabled={disabled} />}
      <button type="submit" class="primary" disabled={disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}
