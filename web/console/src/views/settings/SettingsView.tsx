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
import { FilesSection } from './FilesSection';
import { InstallSection } from './InstallSection';

// SPEC's names, each with what it is for, so that "Chat Rule" (routing)
// and "Chat Rules" (invitations) are not read as one (docs/behaviour.md).
const SECTIONS = [
  { id: 'chat-rule', label: 'Routing: Chat Rule' },
  { id: 'action-rules', label: 'Routing: Action Rules' },
  { id: 'chat-rules', label: 'Invitations: Chat Rules' },
  { id: 'appearance', label: 'Appearance' },
  { id: 'files', label: 'Files' },
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

  const current = useCurrentSection(!!settings);

  return (
    <div class="settings-view">
      <nav class="settings-nav" aria-label="Settings sections">
        {SECTIONS.map((s) => (
          <a
            key={s.id}
            href={`#${s.id}`}
            aria-current={current.id === s.id ? 'location' : undefined}
            onClick={(e) => {
              current.set(s.id);
              jump(e, s.id);
            }}
          >
            {s.label}
          </a>
        ))}
      </nav>
      <div class="settings-main">
        <h1>Settings</h1>
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
            <FilesSection key={`files-${generation}`} settings={settings} onSaved={show} readOnly={!isAdmin} />
            <InstallSection key={`install-${generation}`} settings={settings} onSaved={show} readOnly={!isAdmin} />
            <CannedRepliesSection isAdmin={isAdmin} />
          </>
        )}
      </div>
    </div>
  );
}

// useCurrentSection follows which section is at the top of the page. A
// section picked in the navigation stays current until the operator
// scrolls by hand: the last sections may be too short to reach the top.
function useCurrentSection(ready: boolean) {
  const [id, setId] = useState(SECTIONS[0].id);
  const picked = useRef(false);
  useEffect(() => {
    if (!ready) return;
    const seen = new Map<string, boolean>();
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) seen.set(e.target.id, e.isIntersecting);
      const first = SECTIONS.find((s) => seen.get(s.id));
      if (first && !picked.current) setId(first.id);
    });
    for (const s of SECTIONS) {
      const el = document.getElementById(s.id);
      if (el) io.observe(el);
    }
    const byHand = () => (picked.current = false);
    window.addEventListener('wheel', byHand, { passive: true });
    window.addEventListener('touchmove', byHand, { passive: true });
    return () => {
      io.disconnect();
      window.removeEventListener('wheel', byHand);
      window.removeEventListener('touchmove', byHand);
    };
  }, [ready]);
  const set = (next: string) => {
    picked.current = true;
    setId(next);
  };
  return { id, set };
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
