// Settings > Appearance > "Widget" ("Make it ours"): the accent colour,
// the launcher's side, the panel's title, the greeting of an empty chat,
// and whether visitors see operators' names, with a live preview of the
// widget that follows the form before it is saved. The server checks the
// colour's contrast with white text; the ratio shown here while picking is
// the same computation (lib/contrast.ts).
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import type { Settings } from '../../api/types';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/fields';
import { contrastRatio, formatRatio, hexColor, MIN_ACCENT_CONTRAST } from '../../lib/contrast';
import { SaveStatus } from './SaveStatus';
import { useSave } from './useSave';
import { WidgetPreview } from './WidgetPreview';

export type Look = Pick<Settings, 'accent_color' | 'launcher_position' | 'panel_title' | 'greeting' | 'show_operator_names'>;

const POSITIONS: { value: Look['launcher_position']; label: string }[] = [
  { value: 'right', label: 'Right' },
  { value: 'left', label: 'Left' },
];

export function WidgetLookForm(p: { settings: Settings; onSaved: (s: Settings) => void; readOnly: boolean }) {
  const s = p.settings;
  const [look, setLook] = useState<Look>({
    accent_color: s.accent_color,
    launcher_position: s.launcher_position,
    panel_title: s.panel_title,
    greeting: s.greeting,
    show_operator_names: s.show_operator_names,
  });
  const set = (change: Partial<Look>) => setLook({ ...look, ...change });
  const save = useSave();
  const hex = hexColor(look.accent_color);

  async function submit(e: Event) {
    e.preventDefault();
    // The server says what is wrong, the contrast included, in one place.
    await save.run(async () => p.onSaved(await patchSettings(look)));
  }

  return (
    <form class="widget-look" onSubmit={submit} aria-labelledby="widget-look-h">
      <h3 id="widget-look-h">Widget</h3>
      <p class="hint muted">How the chat looks on your site. Visitors get a change at their next page.</p>
      <div class="widget-look-grid">
        <div>
          <div class="field">
            <label for="accent-color">Accent colour</label>
            <div class="color-row">
              <input
                type="color"
                aria-label="Accent colour picker"
                value={hex ?? '#2357d9'}
                disabled={p.readOnly}
                onInput={(e) => set({ accent_color: e.currentTarget.value })}
              />
              <input
                id="accent-color"
                type="text"
                value={look.accent_color}
                spellcheck={false}
                autoComplete="off"
                disabled={p.readOnly}
                aria-describedby="accent-contrast"
                onInput={(e) => set({ accent_color: e.currentTarget.value })}
              />
            </div>
            <Contrast hex={hex} />
          </div>
          <SelectField
            id="launcher-position"
            label="Launcher position"
            value={look.launcher_position}
            options={POSITIONS}
            disabled={p.readOnly}
            onChange={(v) => set({ launcher_position: v })}
          />
          <TextField
            id="panel-title"
            label="Panel title"
            value={look.panel_title}
            disabled={p.readOnly}
            onInput={(v) => set({ panel_title: v })}
            hint="The panel's heading, one line of up to 60 characters."
          />
          <TextAreaField
            id="greeting"
            label="Greeting"
            value={look.greeting}
            disabled={p.readOnly}
            onInput={(v) => set({ greeting: v })}
            hint="Shown at the top of an empty chat, up to 500 characters. Leave it empty for none."
          />
          <CheckboxField
            id="show-operator-names"
            label="Show operators' names to visitors"
            checked={look.show_operator_names}
            disabled={p.readOnly}
            onChange={(v) => set({ show_operator_names: v })}
          />
          <p class="hint muted">
            Off: visitors see “Support” wherever a name would be (messages, typing, “joined the chat”, invitations).
            The names never leave the server.
          </p>
        </div>
        <WidgetPreview look={look} />
      </div>
      <SaveStatus error={save.error} saved={save.saved} />
      {!p.readOnly && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={save.busy}>
            Save appearance
          </button>
        </div>
      )}
    </form>
  );
}

// Contrast says, as the admin picks, how white text reads on the colour.
function Contrast({ hex }: { hex: string | null }) {
  if (!hex) {
    return (
      <small id="accent-contrast" class="hint contrast-bad" data-testid="accent-contrast" aria-live="polite">
        Enter a hex colour such as #2357d9.
      </small>
    );
  }
  const r = contrastRatio(hex, '#ffffff');
  const ok = r >= MIN_ACCENT_CONTRAST;
  return (
    <small id="accent-contrast" class={ok ? 'hint' : 'hint contrast-bad'} data-testid="accent-contrast" aria-live="polite">
      Contrast with white text: {formatRatio(r)}:1
      {ok ? ' — passes WCAG AA (at least 4.5:1).' : ' — too low: at least 4.5:1 (WCAG AA) is needed. Pick a darker colour.'}
    </small>
  );
}
