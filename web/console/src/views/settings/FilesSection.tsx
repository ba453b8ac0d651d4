// Settings > "Files": the largest file visitors and operators may send, and
// which types. The server checks both (a type by the file's bytes, never
// its name); the widget and console refuse a file over the limit before
// sending it.
import { useState } from 'preact/hooks';
import { patchSettings } from '../../api/endpoints';
import { CheckboxField, NumberField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import type { SectionProps } from './SettingsView';
import { useSave } from './useSave';

// Every type the server recognises, in its order (desk.KnownFileTypes).
const TYPES: [string, string][] = [
  ['image/png', 'PNG images'],
  ['image/jpeg', 'JPEG images'],
  ['image/gif', 'GIF images'],
  ['image/webp', 'WebP images'],
  ['application/pdf', 'PDF'],
  ['text/plain', 'Plain text'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Word (.docx)'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Excel (.xlsx)'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'PowerPoint (.pptx)'],
  ['application/vnd.oasis.opendocument.text', 'OpenDocument text (.odt)'],
  ['application/vnd.oasis.opendocument.spreadsheet', 'OpenDocument spreadsheet (.ods)'],
  ['application/vnd.oasis.opendocument.presentation', 'OpenDocument presentation (.odp)'],
  ['application/msword', 'Word 97–2003 (.doc)'],
  ['application/vnd.ms-excel', 'Excel 97–2003 (.xls)'],
  ['application/vnd.ms-powerpoint', 'PowerPoint 97–2003 (.ppt)'],
];

const KB = 1024;

export function FilesSection({ settings, onSaved, readOnly }: SectionProps) {
  const [kb, setKb] = useState(Math.round(settings.max_file_bytes / KB));
  const [types, setTypes] = useState(new Set(settings.file_types));
  const save = useSave();

  async function submit(e: Event) {
    e.preventDefault();
    if (kb < 1 || kb > 25 * KB) return save.setError('Largest file must be 1 to 25600 KB (25 MB).');
    const list = TYPES.map(([t]) => t).filter((t) => types.has(t));
    await save.run(async () => onSaved(await patchSettings({ max_file_bytes: kb * KB, file_types: list })));
  }
  const toggle = (t: string, on: boolean) => {
    const next = new Set(types);
    if (on) next.add(t);
    else next.delete(t);
    setTypes(next);
  };

  return (
    <section id="files" class="card" aria-labelledby="files-h">
      <h2 id="files-h">Files</h2>
      <form onSubmit={submit}>
        <NumberField
          id="max-file-kb"
          label="Largest file (KB)"
          value={kb}
          onInput={setKb}
          min={1}
          max={25 * KB}
          disabled={readOnly}
          hint="10240 KB is 10 MB, the default. Visitors and operators are told before they send a larger file."
        />
        <fieldset class="file-types">
          <legend>Allowed file types</legend>
          {TYPES.map(([t, label]) => (
            <CheckboxField key={t} id={`file-type-${t}`} label={label} checked={types.has(t)} onChange={(on) => toggle(t, on)} disabled={readOnly} />
          ))}
          <small class="hint">Checked by the file's content, not its name. SVG and HTML are never allowed. None checked: no files.</small>
        </fieldset>
        <SaveStatus error={save.error} saved={save.saved} />
        {!readOnly && (
          <div class="form-actions">
            <button type="submit" class="primary" disabled={save.busy}>
              Save file settings
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
