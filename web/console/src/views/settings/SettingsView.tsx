// "Settings": one page of sections. Admins edit; other operators read.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSettings } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Settings } from '../../api/types';
import { useLiveContext } from '../../state/useLive';
import { ActionRulesSection } from './ActionRulesSection';
import { AppearanceSection } from './AppearanceSection';
import { CannedRepliesSection } from './CannedRepliesSection';
import { ChatRuleSection } from './ChatRuleSection';
import { ChatRulesSection } from './ChatRulesSection';
import { InstallSection } from './InstallSection';

const SECTIONS = [
  { id: 'chat-rule', label: 'Chat Rule' },
  { id: 'action-rules', label: 'Action Rules' },
  { id: 'chat-rules', label: 'Chat Rules' },
  { id: 'appearance', label: 'Appearance' },
  { id: 'install', label: 'Install' },
  { id: 'canned-replies', label: 'Canned Replies' },
];

export function SettingsView({ isAdmin }: { isAdmin: boolean }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState('');
  // Another admin's change (on any node) comes as settings.changed: read
  // the settings again, and show the forms afresh only if they differ from
  // what is shown (this admin's own saves are shown already).
  const { state } = useLiveContext();
  const changes = state.changed.settings;
  const shown = useRef<Settings | null>(null);
  const [generation, setGeneration] = useState(0);
  const show = (s: Settings) => {
    shown.current = s;
    setSettings(s);
  };

  useEffect(() => {
    getSettings().then((fresh) => {
      if (shown.current && JSON.stringify(fresh) === JSON.stringify(shown.current)) return;
      if (shown.current) setGeneration((g) => g + 1);
      show(fresh);
    }, (err) => setError(errorText(err)));
  }, [changes]);

  return (
    <div class="settings-view">
      <nav class="settings-nav" aria-label="Settings sections">
        {SECTIONS.map((s) => (
          <a key={s.id} href={`#${s.id}`} onClick={(e) => jump(e, s.id)}>
            {s.label}
          </a>
        ))}
      </nav>
      <div class="settings-main">
        {!isAdmin && (
          <p class="notice" role="note">
            Only an admin can change settings. You can read them here.
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {!settings && !error && <p class="muted">Loading…</p>}
        {settings && (
          <>
            <ChatRuleSection key={`rule-${generation}`} settings={settings} onSaved={show} readOnly={!isAdmin} />
            <ActionRulesSection readOnly={!isAdmin} />
            <ChatRulesSection key={`rules-${generation}`} settings={settings} onSaved={show} readOnly={!isAdmin} />
            <AppearanceSection key={`look-${generation}`} settings={settings} onSaved={show} readOnly={!isAdmin} />
            <InstallSection key={`install-${generation}`} settings={settings} onSaved={show} readOnly={!isAdmin} />
            <CannedRepliesSection isAdmin={isAdmin} />
          </>
        )}
      </div>
    </div>
  );
}

// Scroll inside the page without putting #fragments into the console's URL.
function jump(e: MouseEvent, id: string) {
  e.preventDefault();
  document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

export interface SectionProps {
  settings: Settings;
  onSaved: (s: Settings) => void;
  readOnly: boolean;
}
