// "Action Rules" > "Chat Routing": ordered rules that send a chat to an
// operator by the visitor's page, and a tester that asks the server who
// would get a chat from a given page right now.
import { useEffect, useState } from 'preact/hooks';
import { deleteActionRule, listActionRules, moveActionRule, updateActionRule } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { ActionRule } from '../../api/types';
import { useLiveContext } from '../../state/useLive';
import { ActionRuleForm } from './ActionRuleForm';
import { RuleTester } from './RuleTester';
import { conditionText } from './ruleText';

type Editing = { kind: 'new' } | { kind: 'edit'; rule: ActionRule } | null;

export function ActionRulesSection({ readOnly }: { readOnly: boolean }) {
  const { state } = useLiveContext();
  const [rules, setRules] = useState<ActionRule[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  // read again when an admin changes them, here or on another node
  useEffect(() => {
    listActionRules().then((r) => setRules(r.rules ?? []), (err) => setError(errorText(err)));
  }, [state.changed.action_rules]);

  async function act(fn: () => Promise<ActionRule[] | null>) {
    setBusy(true);
    setError('');
    try {
      const next = await fn();
      setRules(next ?? (await listActionRules()).rules ?? []);
    } catch (err) {
      setError(errorText(err));
      listActionRules().then((r) => setRules(r.rules ?? []), () => {});
    } finally {
      setBusy(false);
    }
  }

  const operatorName = (id: number) => state.operators[id]?.name ?? `Operator #${id}`;

  return (
    <section id="action-rules" class="card" aria-labelledby="action-rules-h">
      <h2 id="action-rules-h">Routing: Action Rules</h2>
      <h3>Chat Routing</h3>
      <p class="muted">
        Applied first, top to bottom: the first rule whose conditions all match sends the chat to its operator, if
        that operator is Online and below their chat limit. Otherwise the Chat Rule decides.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rules === null && !error && <p class="muted">Loading…</p>}
      {rules && (
        <table class="table rules-table" data-testid="action-rules">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Conditions</th>
              <th scope="col">Operator</th>
              <th scope="col">Enabled</th>
              {!readOnly && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 && (
              <tr>
                <td colSpan={6} class="muted">
                  No chat routing rule yet.
                </td>
              </tr>
            )}
            {rules.map((r, i) => (
              <tr key={r.id} data-testid={`action-rule-${r.id}`} class={r.enabled ? '' : 'disabled-row'}>
                <td>{r.position}</td>
                <td>{r.name}</td>
                <td>{r.conditions.map(conditionText).join(' and ')}</td>
                <td>{operatorName(r.target_operator_id)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enabled: ${r.name}`}
                    checked={r.enabled}
                    disabled={readOnly || busy}
                    onChange={(e) => {
                      const enabled = e.currentTarget.checked;
                      // Show the new state at once; the reload after saving corrects it if it failed.
                      setRules(rules.map((x) => (x.id === r.id ? { ...x, enabled } : x)));
                      void act(async () => {
                        const { id: _id, position: _p, ...body } = r;
                        await updateActionRule(r.id, { ...body, enabled });
                        return null;
                      });
                    }}
                  />
                </td>
                {!readOnly && (
                  <td class="row-actions">
                    <button type="button" class="small" disabled={busy} onClick={() => setEditing({ kind: 'edit', rule: r })}>
                      Edit
                    </button>
                    <button
                      type="button"
                      class="small"
                      disabled={busy || i === 0}
                      onClick={() => void act(async () => (await moveActionRule(r.id, 'up')).rules)}
                    >
                      Move up
                    </button>
                    <button
                      type="button"
                      class="small"
                      disabled={busy || i === rules.length - 1}
                      onClick={() => void act(async () => (await moveActionRule(r.id, 'down')).rules)}
                    >
                      Move down
                    </button>
                    <button
                      type="button"
                      class="small danger"
                      disabled={busy}
                      onClick={() =>
                        void act(async () => {
                          await deleteActionRule(r.id);
                          return null;
                        })
                      }
                    >
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
          Add a routing rule
        </button>
      )}
      {editing && (
        <ActionRuleForm
          key={editing.kind === 'edit' ? editing.rule.id : 'new'}
          rule={editing.kind === 'edit' ? editing.rule : null}
          operators={Object.values(state.operators)}
          onDone={(changed) => {
            setEditing(null);
            if (changed) void act(async () => null);
          }}
        />
      )}
      <RuleTester />
    </section>
  );
}
