// Add an operator, or edit one (a new password is optional when editing).
import { useState } from 'preact/hooks';
import { createOperator, updateOperator, type OperatorInput } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Operator, Role } from '../../api/types';
import { NumberField, SelectField, TextField } from '../../components/fields';

interface Props {
  op: Operator | null;
  isSelf: boolean;
  onDone: (saved: Operator | null) => void;
}

export function OperatorForm({ op, isSelf, onDone }: Props) {
  const [name, setName] = useState(op?.name ?? '');
  const [email, setEmail] = useState(op?.email ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(op?.role ?? 'operator');
  const [priority, setPriority] = useState(op?.priority_level ?? 1);
  const [limit, setLimit] = useState(op?.chat_limit ?? 2);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const prefix = op ? `op-${op.id}` : 'op-new';

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim() || !email.trim()) return setError('Name and email are required.');
    if ((!op || password) && password.length < 8) return setError('The password must be at least 8 characters.');
    if (priority < 1 || priority > 99) return setError('The priority level is 1 to 99 (1 is highest).');
    if (limit < 0 || limit > 100) return setError('The chat limit is 0 to 100.');
    const body: OperatorInput = {
      name: name.trim(),
      email: email.trim(),
      role,
      priority_level: priority,
      chat_limit: limit,
    };
    if (password) body.password = password;
    setBusy(true);
    setError('');
    try {
      onDone(op ? await updateOperator(op.id, body) : await createOperator(body));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <form class="subform card" onSubmit={submit} aria-label={op ? `Edit ${op.name}` : 'Add operator'}>
      <h2>{op ? `Edit ${op.name}` : 'New operator'}</h2>
      <div class="field-row">
        <TextField id={`${prefix}-name`} label="Name" value={name} onInput={setName} required />
        <TextField id={`${prefix}-email`} label="Email" type="email" value={email} onInput={setEmail} required />
        <TextField
          id={`${prefix}-password`}
          label={op ? 'New password' : 'Password'}
          type="password"
          value={password}
          onInput={setPassword}
          required={!op}
          autoComplete="new-password"
          hint={op ? 'Leave empty to keep the current password.' : 'At least 8 characters.'}
        />
      </div>
      <div class="field-row">
        <SelectField<Role>
          id={`${prefix}-role`}
          label="Role"
          value={role}
          onChange={setRole}
          disabled={isSelf}
          hint={isSelf ? 'You cannot remove your own admin role.' : undefined}
          options={[
            { value: 'operator', label: 'Operator' },
            { value: 'admin', label: 'Admin' },
          ]}
        />
        <NumberField
          id={`${prefix}-priority`}
          label="Priority level"
          value={priority}
          onInput={setPriority}
          min={1}
          max={99}
          hint="1 is highest."
        />
        <NumberField
          id={`${prefix}-limit`}
          label="Chat limit"
          value={limit}
          onInput={setLimit}
          min={0}
          max={100}
          hint="Most chats given at once by automatic assignment."
        />
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {op ? 'Save operator' : 'Add operator'}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Discard
        </button>
      </div>
    </form>
  );
}
