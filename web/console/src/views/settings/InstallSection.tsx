// "Install": the snippet to paste into the site, its site key, and the
// origins allowed to load the widget.
import { useEffect, useState } from 'preact/hooks';
import { getInstall, patchSettings } from '../../api/endpoints';
import { errorText } from '../../api/http';
import { TextAreaField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import type { SectionProps } from './SettingsView';
import { useSave } from './useSave';

export function InstallSection({ settings, onSaved, readOnly }: SectionProps) {
  const [install, setInstall] = useState<{ snippet: string; site_key: string } | null>(null);
  const [loadError, setLoadError] = useState('');
  const [copied, setCopied] = useState('');
  const [origins, setOrigins] = useState(settings.allowed_origins.join('\n'));
  const save = useSave();

  useEffect(() => {
    getInstall().then(setInstall, (err) => setLoadError(errorText(err)));
  }, []);

  async function copy() {
    if (!install) return;
    try {
      await navigator.clipboard.writeText(install.snippet);
      setCopied('Copied.');
    } catch {
      // No clipboard access (plain http, or denied): select it for Ctrl+C.
      const el = document.getElementById('install-snippet') as HTMLTextAreaElement | null;
      el?.select();
      setCopied('Press Ctrl+C to copy the selected snippet.');
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    const list = origins
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length === 0) return save.setError('List at least one origin, or * for any.');
    await save.run(async () => {
      const next = await patchSettings({ allowed_origins: list });
      setOrigins(next.allowed_origins.join('\n'));
      onSaved(next);
    });
  }

  return (
    <section id="install" class="card" aria-labelledby="install-h">
      <h2 id="install-h">Install</h2>
      <p class="muted">Paste this snippet before the closing &lt;/body&gt; tag of every page of the site.</p>
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      <TextAreaField id="install-snippet" label="Snippet" value={install?.snippet ?? ''} readOnly rows={4} />
      <div class="form-actions">
        <button type="button" onClick={() => void copy()} disabled={!install}>
          Copy snippet
        </button>
        {copied && (
          <span class="muted" role="status">
            {copied}
          </span>
        )}
      </div>
      <dl class="kv">
        <dt>Site key</dt>
        <dd>
          <code data-testid="site-key">{install?.site_key ?? settings.site_key}</code>
        </dd>
      </dl>
      <form onSubmit={submit}>
        <TextAreaField
          id="allowed-origins"
          label="Allowed origins"
          value={origins}
          onInput={setOrigins}
          readOnly={readOnly}
          rows={4}
          hint="One per line, e.g. https://www.example.com. * allows any site."
        />
        <SaveStatus error={save.error} saved={save.saved} />
        {!readOnly && (
          <div class="form-actions">
            <button type="submit" class="primary" disabled={save.busy}>
              Save allowed origins
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
