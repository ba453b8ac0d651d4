// "Add a private note": operators only, never sent to the visitor. Any
// operator reading a chat may add one, in any state.
import { useState } from 'preact/hooks';
import { addNote } from '../../api/endpoints';
import { errorText } from '../../api/http';
import { useLiveContext } from '../../state/useLive';

export function NoteComposer({ chatId }: { chatId: number }) {
  const { actions } = useLiveContext();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  if (!open) {
    return (
      <div class="note-composer">
        <button type="button" class="link" onClick={() => setOpen(true)}>
          Add a private note
        </button>
      </div>
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError('');
    try {
      const r = await addNote(chatId, text);
      actions.applyNotes(chatId, [r.note]);
      setText('');
      setOpen(false);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="note-composer" onSubmit={submit}>
      <label for="note-text">Private note (only operators see it)</label>
      <textarea id="note-text" rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" disabled={busy || !text.trim()}>
          Add note
        </button>
        <button type="button" class="link" onClick={() => setOpen(false)}>
          Cancel note
        </button>
      </div>
    </form>
  );
}
