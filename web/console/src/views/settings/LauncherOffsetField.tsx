// Settings > Appearance > "Launcher offset": lifts the widget's button
// above the page's bottom edge, so that it does not cover the page's own
// bottom controls (a cookie bar, a phone's tab bar).
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import type { Settings } from '../../api/types';
import { NumberField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import { useSave } from './useSave';

export function LauncherOffsetField(p: { settings: Settings; onSaved: (s: Settings) => void; readOnly: boolean }) {
  const [px, setPx] = useState(p.settings.launcher_offset);
  const save = useSave();
  async function submit(e: Event) {
    e.preventDefault();
    await save.run(async () => p.onSaved(await patchSettings({ launcher_offset: px })));
  }
  return (
    <form class="launcher-offset" onSubmit={submit}>
      <NumberField
        id="launcher-offset"
        label="Launcher offset (pixels above the page's bottom edge)"
        value={px}
        onInput={setPx}
        min={0}
        max={300}
        disabled={p.readOnly}
        hint="Raise the chat button when your pages have their own controls at the bottom. Visitors get it at their next page."
      />
      <SaveStatus error={save.error} saved={save.saved} />
      {!p.readOnly && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={save.busy}>
            Save offset
          </button>
        </div>
      )}
    </form>
  );
}
