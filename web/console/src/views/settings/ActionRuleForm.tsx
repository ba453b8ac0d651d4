// Add or edit one Chat Routing rule: a name, one or more conditions on the
// visitor's page, and the operator who gets the chat.
import { useState } from 'preact/hooks';
import { createActionRule, updateActionRule } from '../../api/endpoints';
import type { ActionRule, Condition, ConditionField, Operator, UrlOp } from '../../api/types';
import { CheckboxField, TextField } from '../../components/fields';
import { SaveStatus } from './SaveStatus';
import { FIELDS, URL_OPS } from './ruleText';
import { useSave } from './useSave';

interface Props {
  rule: ActionRule | null;
  operators: Operator[];
  onDone: (changed: boolean) => void;
}

const opsFor = (field: ConditionField) => (field === 'url' ? URL_OPS : URL_OPS.filter((o) => o.value === 'contains'));

export function ActionRuleForm({ rule, operators, onDone }: Props) {
  const sorted = [...operators].sort((a, b) => a.name.localeCompare(b.name));
  const [name, setName] = useState(rule?.name ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [conditions, setConditions] = useState<Condition[]>(
    rule?.conditions.length ? rule.conditions : [{ field: 'url', op: 'contains', value: '' }],
  );
  const [target, setTarget] = useState(String(rule?.target_operator_id ?? sorted[0]?.id ?? ''));
  const save = useSave();
  const prefix = rule ? `ar-${rule.id}` : 'ar-new';

  function setCondition(i: number, patch: Partial<Condition>) {
    setConditions(
      conditions.map((c, j) => {
        if (j !== i) return c;
        const next = { ...c, ...patch };
        // Title and referrer only know "contains".
        if (next.field !== 'url') next.op = 'contains';
        return next;
      }),
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) return save.setError('Give the rule a name.');
    if (conditions.some((c) => !c.value.trim())) return save.setError('Every condition needs a value.');
    if (!target) return save.setError('Choose the operator who gets the chat.');
    const body = {
      name: name.trim(),
      enabled,
      conditions: conditions.map((c) => ({ ...c, value: c.value.trim() })),
      target_operator_id: Number(target),
    };
    const ok = await save.run(() => (rule ? updateActionRule(rule.id, body) : createActionRule(body)));
    if (ok) onDone(true);
  }

  return (
    <form class="subform" onSubmit={submit} aria-label={rule ? `Edit rule ${rule.name}` : 'New routing rule'}>
      <h4>{rule ? `Edit “${rule.name}”` : 'New routing rule'}</h4>
      <TextField id={`${prefix}-name`} label="Rule name" value={name} onInput={setName} required />
      <fieldset class="conditions">
        <legend>Conditions (all must match)</legend>
        {conditions.map((c, i) => (
          <div class="condition-row" key={i}>
            <label for={`${prefix}-field-${i}`} class="sr-only">
              Condition {i + 1} field
            </label>
            <select
              id={`${prefix}-field-${i}`}
              value={c.field}
              onChange={(e) => setCondition(i, { field: e.currentTarget.value as ConditionField })}
            >
              {FIELDS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
            <label for={`${prefix}-op-${i}`} class="sr-only">
              Condition {i + 1} operator
            </label>
            <select
              id={`${prefix}-op-${i}`}
              value={c.op}
              onChange={(e) => setCondition(i, { op: e.currentTarget.value as UrlOp })}
            >
              {opsFor(c.field).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <label for={`${prefix}-value-${i}`} class="sr-only">
              Condition {i + 1} value
            </label>
            <input
              id={`${prefix}-value-${i}`}
              value={c.value}
              placeholder={c.op === 'wildcard' ? '*/product*' : '/product'}
              onInput={(e) => setCondition(i, { value: e.currentTarget.value })}
            />
            <button
              type="button"
              class="small"
              disabled={conditions.length === 1}
              onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          class="small"
          onClick={() => setConditions([...conditions, { field: 'url', op: 'contains', value: '' }])}
        >
          Add condition
        </button>
      </fieldset>
      <div class="field">
        <label for={`${prefix}-target`}>Route to operator</label>
        <select id={`${prefix}-target`} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
          {sorted.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
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
