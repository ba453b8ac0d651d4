// "Settings": one page of sections. Admins edit; other operators read.
import { useEffect, useState } from 'preact/hooks';
import { getSettings } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Settings } from '../../api/types';
import { ActionRulesSection } from './ActionRulesSection';
import { AppearanceSection } from './AppearanceSection';
import { ChatRuleSection } from './ChatRuleSection';
import { ChatRulesSection } from './ChatRulesSection';
import { InstallSection } from './InstallSection';

const SECTIONS = [
  { id: 'chat-rule', label: 'Chat Rule' },
  { id: 'action-rules', label: 'Action Rules' },
  { id: 'chat-rules', label: 'Chat Rules' },
  { id: 'appearance', label: 'Appearance' },
  { id: 'install', label: 'Install' },
];

export function SettingsView({ isAdmin }: { isAdmin: boolean }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    getSettings().then(setSettings, (err) => setError(errorText(err)));
  }, []);

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
            <ChatRuleSection settings={settings} onSaved={setSettings} readOnly={!isAdmin} />
            <ActionRulesSection readOnly={!isAdmin} />
            <ChatRulesSection settings={settings} onSaved={setSettings} readOnly={!isAdmin} />
            <AppearanceSection settings={settings} onSaved={setSettings} readOnly={!isAdmin} />
            <InstallSection settings={settings} onSaved={setSettings} readOnly={!isAdmin} />
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
