// "Chat Rules": when chats end by themselves, and the "Send Invitation"
// rules that invite visitors automatically.
import { useEffect, useState } from 'preact/hooks';
import { deleteInvitationRule, listInvitationRules, patchSettings, updateInvitationRule } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { InvitationRule } from '../../api/types';
import { formatDuration } from '../../lib/time';
import { DurationField } from './DurationField';
import { InvitationRuleForm } from './InvitationRuleForm';
import { SaveStatus } from './SaveStatus';
import type { SectionProps } from './SettingsView';
import { useLiveContext } from '../../state/useLive';
import { opLabel } from './ruleText';
import { useSave } from './useSave';

const MAX_SECONDS = 86400;

export function ChatRulesSection({ settings, onSaved, readOnly }: SectionProps) {
  return (
    <section id="chat-rules" class="card" aria-labelledby="chat-rules-h">
      <h2 id="chat-rules-h">Invitations: Chat Rules</h2>
      <Timeouts settings={settings} onSaved={onSaved} readOnly={readOnly} />
      <InvitationRules readOnly={readOnly} />
    </section>
  );
}

function Timeouts({ settings, onSaved, readOnly }: SectionProps) {
  const [inactivity, setInactivity] = useState(settings.inactivity_timeout_seconds);
  const [left, setLeft] = useState(settings.left_timeout_seconds);
  const save = useSave();

  async function submit(e: Event) {
    e.preventDefault();
    for (const v of [inactivity, left]) {
      if (v < 1 || v > MAX_SECONDS) return save.setError('Each timeout is between 1 second and 24 hours.');
    }
    await save.run(async () =>
      onSaved(await patchSettings({ inactivity_timeout_seconds: inactivity, left_timeout_seconds: left })),
    );
  }

  return (
    <form class="subform" onSubmit={submit} aria-labelledby="timeouts-h">
      <h3 id="timeouts-h">Ending chats</h3>
      <div class="field-row">
        <div>
          <DurationField
            id="inactivity"
            label="Inactivity timeout"
            seconds={inactivity}
            onChange={setInactivity}
            disabled={readOnly}
          />
          <small class="hint">A chat ends when the visitor has not written for this long.</small>
        </div>
        <div>
          <DurationField id="left" label="Visitor left timeout" seconds={left} onChange={setLeft} disabled={readOnly} />
          <small class="hint">A chat ends when the visitor left the site and did not come back within this time.</small>
        </div>
      </div>
      <SaveStatus error={save.error} saved={save.saved} />
      {!readOnly && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={save.busy}>
            Save timeouts
          </button>
        </div>
      )}
    </form>
  );
}

type Editing = { kind: 'new' } | { kind: 'edit'; rule: InvitationRule } | null;

function InvitationRules({ readOnly }: { readOnly: boolean }) {
  const { state } = useLiveContext();
  const [rules, setRules] = useState<InvitationRule[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState('');

  const reload = () =>
    listInvitationRules().then(
      (r) => setRules(r.rules ?? []),
      (err) => setError(errorText(err)),
    );
  // read again when an admin changes them, here or on another node
  useEffect(() => void reload(), [state.changed.invitation_rules]);

  // Enabled is a checkbox in the table, as in Action Rules.
  async function setEnabled(r: InvitationRule, enabled: boolean) {
    setError('');
    setRules((rules ?? []).map((x) => (x.id === r.id ? { ...x, enabled } : x)));
    try {
      const { id: _id, ...body } = r;
      await updateInvitationRule(r.id, { ...body, enabled });
    } catch (err) {
      setError(errorText(err));
    }
    await reload();
  }

  async function remove(r: InvitationRule) {
    setError('');
    try {
      await deleteInvitationRule(r.id);
      await reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="subsection">
      <h3>Send Invitation rules</h3>
      <p class="muted">
        Send Invitation rules invite a visitor automatically. A rule fires at most once per visit, never while the
        visitor has a chat.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rules && (
        <table class="table rules-table" data-testid="invitation-rules">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Action</th>
              <th scope="col">Conditions</th>
              <th scope="col">Message</th>
              <th scope="col">Enabled</th>
              {!readOnly && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 && (
              <tr>
                <td colSpan={6} class="muted">
                  No Send Invitation rule yet.
                </td>
              </tr>
            )}
            {rules.map((r) => (
              <tr key={r.id} data-testid={`invitation-rule-${r.id}`} class={r.enabled ? '' : 'disabled-row'}>
                <td>{r.name}</td>
                <td>Send Invitation</td>
                <td>{conditionsText(r)}</td>
                <td>{r.message}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enabled: ${r.name}`}
                    checked={r.enabled}
                    disabled={readOnly}
                    onChange={(e) => void setEnabled(r, e.currentTarget.checked)}
                  />
                </td>
                {!readOnly && (
                  <td class="row-actions">
                    <button type="button" class="small" onClick={() => setEditing({ kind: 'edit', rule: r })}>
                      Edit
                    </button>
                    <button type="button" class="small danger" onClick={() => void remove(r)}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && editing === null && (
        <button type="button" onClick={() => setEditing({ kind: 'new' })}>
          Add a Chat Rule
        </button>
      )}
      {editing && (
        <InvitationRuleForm
          key={editing.kind === 'edit' ? editing.rule.id : 'new'}
          rule={editing.kind === 'edit' ? editing.rule : null}
          onDone={(changed) => {
            setEditing(null);
            if (changed) void reload();
          }}
        />
      )}
    </div>
  );
}

function conditionsText(r: InvitationRule): string {
  const parts = [r.url ? `Page URL ${opLabel(r.url.op)} “${r.url.value}”` : 'Any page'];
  parts.push(`time on page at least ${formatDuration(r.min_time_on_page_seconds * 1000)}`);
  if (r.min_pages_viewed > 0) parts.push(`pages viewed at least ${r.min_pages_viewed}`);
  return parts.join(', ');
}
