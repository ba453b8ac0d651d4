// "Add a Chat Rule": action "Send Invitation" with its conditions and message.
import { useState } from 'preact/hooks';
import { createInvitationRule, updateInvitationRule } from '../../api/endpoints';
import type { InvitationRule, UrlOp } from '../../api/types';
import { CheckboxField, NumberField, TextAreaField, TextField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import { URL_OPS } from './ruleText';
import { useSave } from './useSave';

interface Props {
  rule: InvitationRule | null;
  onDone: (changed: boolean) => void;
}

export function InvitationRuleForm({ rule, onDone }: Props) {
  const [name, setName] = useState(rule?.name ?? '');
  const [urlOp, setUrlOp] = useState<UrlOp | ''>(rule?.url?.op ?? '');
  const [urlValue, setUrlValue] = useState(rule?.url?.value ?? '');
  const [minTime, setMinTime] = useState(rule?.min_time_on_page_seconds ?? 10);
  const [minPages, setMinPages] = useState(rule?.min_pages_viewed ?? 0);
  const [message, setMessage] = useState(rule?.message ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const save = useSave();
  const prefix = rule ? `ir-${rule.id}` : 'ir-new';

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) return save.setError('Give the rule a name.');
    if (urlOp && !urlValue.trim()) return save.setError('Enter the URL to match, or choose “Any page”.');
    if (!message.trim()) return save.setError('Write the invitation message.');
    if (minTime < 0 || minPages < 0) return save.setError('Times and counts cannot be negative.');
    const body = {
      name: name.trim(),
      enabled,
      url: urlOp ? { op: urlOp, value: urlValue.trim() } : null,
      min_time_on_page_seconds: minTime,
      min_pages_viewed: minPages,
      message: message.trim(),
    };
    const ok = await save.run(() => (rule ? updateInvitationRule(rule.id, body) : createInvitationRule(body)));
    if (ok) onDone(true);
  }

  return (
    <form class="subform" onSubmit={submit} aria-label={rule ? `Edit chat rule ${rule.name}` : 'New chat rule'}>
      <h4>{rule ? `Edit “${rule.name}”` : 'New chat rule'}</h4>
      <div class="field">
        <label for={`${prefix}-action`}>Action</label>
        <select id={`${prefix}-action`} value="send_invitation">
          <option value="send_invitation">Send Invitation</option>
        </select>
      </div>
      <TextField id={`${prefix}-name`} label="Rule name" value={name} onInput={setName} required />
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}-url-op`}>URL condition</label>
          <select id={`${prefix}-url-op`} value={urlOp} onChange={(e) => setUrlOp(e.currentTarget.value as UrlOp | '')}>
            <option value="">Any page</option>
            {URL_OPS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id={`${prefix}-url-value`}
          label="URL value"
          value={urlValue}
          onInput={setUrlValue}
          disabled={!urlOp}
          placeholder="/pricing"
        />
      </div>
      <div class="field-row">
        <NumberField
          id={`${prefix}-min-time`}
          label="Time on page at least (seconds)"
          value={minTime}
          onInput={setMinTime}
          min={0}
          max={86400}
        />
        <NumberField
          id={`${prefix}-min-pages`}
          label="Pages viewed at least"
          value={minPages}
          onInput={setMinPages}
          min={0}
          max={1000}
          hint="0 means any number of pages."
        />
      </div>
      <TextAreaField id={`${prefix}-message`} label="Invitation message" value={message} onInput={setMessage} required />
      <CheckboxField id={`${prefix}-enabled`} label="Enabled" checked={enabled} onChange={setEnabled} />
      <SaveStatus error={save.error} saved={false} />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={save.busy}>
          Save rule
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Discard
        </button>
      </div>
    </form>
  );
}
