// Settings > Appearance > "Message preview": operators see the visitor's
// draft as it is typed. Off by default; the widget tells visitors when on.
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import type { Settings } from '../../api/types';
import { CheckboxField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import { useSave } from './useSave';

export function MessagePreviewField(p: { settings: Settings; onSaved: (s: Settings) => void; readOnly: boolean }) {
  const save = useSave();
  // The box shows the choice at once; a refused save puts it back.
  const [on, setOn] = useState(p.settings.message_preview);
  async function change(next: boolean) {
    setOn(next);
    const ok = await save.run(async () => p.onSaved(await patchSettings({ message_preview: next })));
    if (!ok) setOn(!next);
  }
  return (
    <div class="message-preview">
      <CheckboxField
        id="message-preview"
        label="Message preview"
        checked={on}
        disabled={p.readOnly || save.busy}
        onChange={change}
      />
      <p class="hint muted">
        Operators see what a visitor types before they send it. The widget tells visitors so under its message box. A
        change reaches a visitor at their next page.
      </p>
      <SaveStatus error={save.error} saved={save.saved} />
    </div>
  );
}
