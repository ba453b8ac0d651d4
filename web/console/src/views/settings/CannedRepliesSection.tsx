// "Canned Replies": shared ones (admins add, edit and delete them; every
// operator reads them) and each operator's personal ones, which only they
// see. In a chat, "/" in the message box inserts one (CannedPicker.tsx).
import { useEffect, useState } from 'preact/hooks';
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { CannedReply } from '../../api/types';
import { CheckboxField, TextAreaField, TextField } from '../../components/fields';
import { useLiveContext } from '../../state/useLive';
import { SaveStatus } from './SaveStatus';
import { useSave } from './useSave';

type Editing = { kind: 'new' } | { kind: 'edit'; reply: CannedReply } | null;

export function CannedRepliesSection({ isAdmin }: { isAdmin: boolean }) {
  const { state } = useLiveContext();
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const reload = () =>
    listCannedReplies().then(
      (r) => setReplies(r.replies ?? []),
      (err) => setError(errorText(err)),
    );
  // read again when they change: a shared one anywhere, or one of mine on another console
  useEffect(() => void reload(), [state.changed.canned_replies]);

  const canChange = (r: CannedReply) => (r.shared ? isAdmin : true);

  async function remove(r: CannedReply) {
    setBusy(true);
    setError('');
    try {
      await deleteCannedReply(r.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      void reload();
    }
  }

  return (
    <section id="canned-replies" class="card" aria-labelledby="canned-replies-h">
      <h2 id="canned-replies-h">Canned Replies</h2>
      <p class="muted">
        Type <kbd>/</kbd> in a chat's message box and then a shortcut or a few words to insert one.{' '}
        <code>{'{visitor}'}</code> becomes the visitor's name and <code>{'{operator}'}</code> yours. Shared replies are
        every operator's{isAdmin ? '' : ' (only an admin can change them)'}; personal ones only you see.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {replies === null && !error && <p class="muted">Loading…</p>}
      {replies && (
        <table class="table rules-table" data-testid="canned-replies">
          <thead>
            <tr>
              <th scope="col">Shortcut</th>
              <th scope="col">Text</th>
              <th scope="col">Shared or personal</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {replies.length === 0 && (
              <tr>
                <td colSpan={4} class="muted">
                  No canned reply yet.
                </td>
              </tr>
            )}
            {replies.map((r) => (
              <tr key={r.id} data-testid={`canned-reply-${r.id}`}>
                <td>/{r.shortcut}</td>
                <td class="canned-cell-text">{r.text}</td>
                <td>{r.shared ? 'Shared' : 'Personal'}</td>
                <td class="row-actions">
                  {canChange(r) ? (
                    <>
                      <button
                        type="button"
                        class="small"
                        disabled={busy}
                        aria-label={`Edit /${r.shortcut}`}
                        onClick={() => setEditing({ kind: 'edit', reply: r })}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="small danger"
                        disabled={busy}
                        aria-label={`Delete /${r.shortcut}`}
                        onClick={() => void remove(r)}
                      >
                        Delete
                      </button>
                    </>
                  ) : (
                    <span class="muted">Read-only</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing === null && (
        <button type="button" onClick={() => setEditing({ kind: 'new' })}>
          Add a canned reply
        </button>
      )}
      {editing && (
        <CannedReplyForm
          key={editing.kind === 'edit' ? editing.reply.id : 'new'}
          reply={editing.kind === 'edit' ? editing.reply : null}
          isAdmin={isAdmin}
          onDone={(changed) => {
            setEditing(null);
            if (changed) void reload();
          }}
        />
      )}
    </section>
  );
}

function CannedReplyForm({
  reply,
  isAdmin,
  onDone,
}: {
  reply: CannedReply | null;
  isAdmin: boolean;
  onDone: (changed: boolean) => void;
}) {
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? '');
  const [text, setText] = useState(reply?.text ?? '');
  const [shared, setShared] = useState(reply?.shared ?? false);
  const save = useSave();
  const prefix = reply ? `canned-${reply.id}` : 'canned-new';

  async function submit(e: Event) {
    e.preventDefault();
    if (!shortcut.trim()) return save.setError('Give the reply a shortcut.');
    if (!text.trim()) return save.setError('Write the reply’s text.');
    const body = { shortcut: shortcut.trim(), text: text.trim(), shared };
    const ok = await save.run(() => (reply ? updateCannedReply(reply.id, body) : createCannedReply(body)));
    if (ok) onDone(true);
  }

  return (
    <form class="subform" onSubmit={submit} aria-label={reply ? `Edit canned reply /${reply.shortcut}` : 'New canned reply'}>
      <h3>{reply ? `Edit /${reply.shortcut}` : 'New canned reply'}</h3>
      <TextField
        id={`${prefix}-shortcut`}
        label="Shortcut"
        value={shortcut}
        onInput={setShortcut}
        required
        hint="Up to 32 letters, digits, - or _ (typed after /)."
      />
      <TextAreaField
        id={`${prefix}-text`}
        label="Text"
        value={text}
        onInput={setText}
        required
        hint="{visitor} and {operator} are filled in when you insert it."
      />
      {isAdmin && !reply && (
        <CheckboxField id={`${prefix}-shared`} label="Shared with every operator" checked={shared} onChange={setShared} />
      )}
      <SaveStatus error={save.error} saved={false} />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={save.busy}>
          Save canned reply
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Discard
        </button>
      </div>
    </form>
  );
}
