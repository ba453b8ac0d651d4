// "Operators" (admins only): accounts with their live status and load.
import { useEffect, useState } from 'preact/hooks';
import { listOperators } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Operator } from '../../api/types';
import { useLiveContext } from '../../state/useLive';
import { OperatorForm } from './OperatorForm';

type Editing = { kind: 'new' } | { kind: 'edit'; op: Operator } | null;

export function OperatorsView() {
  const { state, actions } = useLiveContext();
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState('');

  // The socket keeps the list live; this fills it in if the welcome was old.
  useEffect(() => {
    listOperators().then(
      (r) => (r.operators ?? []).forEach(actions.applyOperator),
      (err) => setError(errorText(err)),
    );
  }, []);

  const operators = Object.values(state.operators).sort(
    (a, b) => a.priority_level - b.priority_level || a.name.localeCompare(b.name),
  );

  return (
    <div class="operators-view">
      <div class="toolbar">
        <h1>Operator accounts</h1>
        {editing === null && (
          <button type="button" class="primary" onClick={() => setEditing({ kind: 'new' })}>
            Add operator
          </button>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {editing && (
        <OperatorForm
          key={editing.kind === 'edit' ? editing.op.id : 'new'}
          op={editing.kind === 'edit' ? editing.op : null}
          isSelf={editing.kind === 'edit' && editing.op.id === state.me.id}
          onDone={(saved) => {
            if (saved) actions.applyOperator(saved);
            setEditing(null);
          }}
        />
      )}
      <table class="table" data-testid="operators">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col" class="num">
              Priority level
            </th>
            <th scope="col" class="num">
              Chat limit
            </th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Active chats
            </th>
            <th scope="col">
              <span class="sr-only">Edit</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {operators.map((o) => (
            <tr key={o.id} data-testid={`operator-${o.id}`}>
              <td>{o.name}</td>
              <td>{o.email}</td>
              <td>{o.role === 'admin' ? 'Admin' : 'Operator'}</td>
              <td class="num">{o.priority_level}</td>
              <td class="num">{o.chat_limit}</td>
              <td>
                <span class={`dot dot-${o.status.toLowerCase()}`} aria-hidden="true" />
                {o.status}
              </td>
              <td class="num">{o.active_chats}</td>
              <td>
                <button type="button" class="small" onClick={() => setEditing({ kind: 'edit', op: o })}>
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
