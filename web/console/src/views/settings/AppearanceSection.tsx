// "Appearance": the widget's look (WidgetLookForm), the text of a manual
// invitation, "Message preview", the pre-chat form, mail and the offset.
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import { TextAreaField } from '../../components/fields';
import { useLiveContext } from '../../state/useLive';
import { LauncherOffsetField } from './LauncherOffsetField';
import { MessagePreviewField } from './MessagePreviewField';
import { NotifyEmailField } from './NotifyEmailField';
import { PreChatForm } from './PreChatForm';
import { SaveStatus } from './SaveStatus';
import type { SectionProps } from './SettingsView';
import { useSave } from './useSave';
import { WidgetLookForm } from './WidgetLookForm';

export function AppearanceSection({ settings, onSaved, readOnly }: SectionProps) {
  const { state } = useLiveContext();
  const [text, setText] = useState(settings.invitation_text);
  const save = useSave();

  async function submit(e: Event) {
    e.preventDefault();
    if (!text.trim()) return save.setError('The invitation text cannot be empty.');
    await save.run(async () => onSaved(await patchSettings({ invitation_text: text.trim() })));
  }

  return (
    <section id="appearance" class="card" aria-labelledby="appearance-h">
      <h2 id="appearance-h">Appearance</h2>
      <WidgetLookForm settings={settings} onSaved={onSaved} readOnly={readOnly} />
      <form onSubmit={submit}>
        <TextAreaField
          id="invitation-text"
          label="Chat Invitation Text"
          value={text}
          onInput={setText}
          readOnly={readOnly}
          hint="Shown to a visitor you invite from the Visitor List. {operator} is replaced by your name."
        />
        <p class="preview">
          <span class="muted">Preview: </span>
          {/* as the visitor sees it: "Support" while names are hidden from visitors */}
          {text.split('{operator}').join(settings.show_operator_names ? state.me.name : 'Support')}
        </p>
        <SaveStatus error={save.error} saved={save.saved} />
        {!readOnly && (
          <div class="form-actions">
            <button type="submit" class="primary" disabled={save.busy}>
              Save invitation text
            </button>
          </div>
        )}
      </form>
      <MessagePreviewField settings={settings} onSaved={onSaved} readOnly={readOnly} />
      <PreChatForm settings={settings} onSaved={onSaved} readOnly={readOnly} />
      <NotifyEmailField settings={settings} onSaved={onSaved} readOnly={readOnly} />
      <LauncherOffsetField settings={settings} onSaved={onSaved} readOnly={readOnly} />
    </section>
  );
}
