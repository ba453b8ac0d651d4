// Settings > Appearance > "Pre-chat form": what the widget asks before the
// visitor's first message — name, email and first question, each Off,
// Optional or Required.
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import type { FieldMode, PreChat, Settings } from '../../api/types';
import { SelectField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import { useSave } from './useSave';

const MODES: { value: FieldMode; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'optional', label: 'Optional' },
  { value: 'required', label: 'Required' },
];

const FIELDS: { key: keyof PreChat; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'question', label: 'First question' },
];

export function PreChatForm(p: { settings: Settings; onSaved: (s: Settings) => void; readOnly: boolean }) {
  const [form, setForm] = useState<PreChat>(p.settings.pre_chat);
  const save = useSave();
  async function submit(e: Event) {
    e.preventDefault();
    await save.run(async () => p.onSaved(await patchSettings({ pre_chat: form })));
  }
  return (
    <form class="pre-chat" onSubmit={submit} aria-labelledby="pre-chat-h">
      <h3 id="pre-chat-h">Pre-chat form</h3>
      <p class="hint muted">
        What the widget asks before the visitor's first message. The name and email are then the visitor's everywhere
        in the console; the question is their first message.
      </p>
      {FIELDS.map((f) => (
        <SelectField<FieldMode>
          key={f.key}
          id={`pre-chat-${f.key}`}
          label={f.label}
          value={form[f.key]}
          disabled={p.readOnly}
          options={MODES}
          onChange={(v) => setForm({ ...form, [f.key]: v })}
        />
      ))}
      <SaveStatus error={save.error} saved={save.saved} />
      {!p.readOnly && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={save.busy}>
            Save pre-chat form
          </button>
        </div>
      )}
    </form>
  );
}
