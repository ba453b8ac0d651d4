// "Chat Rule": Manual or Automatic. Saved as soon as it is chosen.
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import type { ChatRuleMode } from '../../api/types';
import { SaveStatus } from './SaveStatus';
import type { SectionProps } from './SettingsView';
import { useSave } from './useSave';

const MODES: { value: ChatRuleMode; help: string }[] = [
  { value: 'Manual', help: 'New chats wait as tickets that any online operator can accept.' },
  {
    value: 'Automatic',
    help: 'New chats go to the online operator with the highest priority level who has room, then fewest chats.',
  },
];

export function ChatRuleSection({ settings, onSaved, readOnly }: SectionProps) {
  const save = useSave();
  // Show the choice at once; fall back to the stored rule if saving fails.
  const [choice, setChoice] = useState<ChatRuleMode>(settings.chat_rule);

  async function choose(mode: ChatRuleMode) {
    setChoice(mode);
    const ok = await save.run(async () => onSaved(await patchSettings({ chat_rule: mode })));
    if (!ok) setChoice(settings.chat_rule);
  }

  return (
    <section id="chat-rule" class="card" aria-labelledby="chat-rule-h">
      <h2 id="chat-rule-h">Routing: Chat Rule</h2>
      <p class="muted">Action rules are applied first; the chat rule decides when none of them routes the chat.</p>
      <fieldset class="radio-group" disabled={readOnly}>
        <legend class="sr-only">Chat Rule</legend>
        {MODES.map((m) => (
          <div key={m.value} class="radio">
            <input
              type="radio"
              id={`chat-rule-${m.value}`}
              name="chat-rule"
              value={m.value}
              checked={choice === m.value}
              aria-describedby={`chat-rule-${m.value}-help`}
              onChange={() => void choose(m.value)}
            />
            <label for={`chat-rule-${m.value}`}>{m.value}</label>
            <small id={`chat-rule-${m.value}-help`} class="muted">
              {m.help}
            </small>
          </div>
        ))}
      </fieldset>
      <SaveStatus error={save.error} saved={save.saved} />
    </section>
  );
}
