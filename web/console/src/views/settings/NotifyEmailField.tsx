// Settings > Appearance > "Leave a message": the address each offline
// message is mailed to (with --smtp-url on the server).
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import type { Settings } from '../../api/types';
import { TextField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import { useSave } from './useSave';

export function NotifyEmailField(p: { settings: Settings; onSaved: (s: Settings) => void; readOnly: boolean }) {
  const [addr, setAddr] = useState(p.settings.notify_email);
  const save = useSave();
  async function submit(e: Event) {
    e.preventDefault();
    await save.run(async () => p.onSaved(await patchSettings({ notify_email: addr.trim() })));
  }
  return (
    <form class="notify-email" onSubmit={submit} aria-labelledby="notify-email-h">
      <h3 id="notify-email-h">Leave a message</h3>
      <TextField
        id="notify-email"
        label="Email each offline message to"
        value={addr}
        type="email"
        onInput={setAddr}
        readOnly={p.readOnly}
        hint="Needs mail set up on the server (--smtp-url). Empty: offline messages are only listed under Offline messages."
      />
      <SaveStatus error={save.error} saved={save.saved} />
      {!p.readOnly && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={save.busy}>
            Save address
          </button>
        </div>
      )}
    </form>
  );
}
