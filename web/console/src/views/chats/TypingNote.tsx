// "Visitor is typing…" under the conversation, with the visitor's draft
// when "Message preview" is on. The draft is text, never HTML.
import { useNow } from '../../lib/useNow';
import { visitorTyping } from '../../state/live';
import { useLiveContext } from '../../state/useLive';

export function TypingNote({ chatId }: { chatId: number }) {
  const { state } = useLiveContext();
  // Local time: a typing frame's age is measured against when it came.
  const now = useNow(0);
  const t = visitorTyping(state, chatId, now);
  return (
    <div class="typing-note" data-testid="typing-note" aria-live="polite">
      {t && (
        <>
          <span class="muted">Visitor is typing…</span>
          {t.draft && (
            <p class="typing-draft" data-testid="typing-draft" title="Message preview: what the visitor has typed so far">
              {t.draft}
            </p>
          )}
        </>
      )}
    </div>
  );
}
