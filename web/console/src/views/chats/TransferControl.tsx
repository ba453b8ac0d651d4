// "Transfer": hand the chat to another operator who is Online or Away.
import { useState } from 'preact/hooks';
import { transferChat } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Chat } from '../../api/types';
import { useLiveContext } from '../../state/useLive';

export function TransferControl({ chat }: { chat: Chat }) {
  const { state, actions } = useLiveContext();
  const targets = Object.values(state.operators)
    .filter((o) => o.id !== chat.operator?.id && (o.status === 'Online' || o.status === 'Away'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const [picked, setPicked] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const target = targets.find((o) => String(o.id) === picked) ?? targets[0];

  async function transfer() {
    if (!target) return;
    setBusy(true);
    setError('');
    try {
      actions.applyChat(await transferChat(chat.id, target.id));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const selectId = `transfer-${chat.id}`;
  return (
    <div class="transfer">
      <label for={selectId}>Transfer to</label>
      <select
        id={selectId}
        value={target ? String(target.id) : ''}
        disabled={targets.length === 0}
        onChange={(e) => setPicked(e.currentTarget.value)}
      >
        {targets.length === 0 && <option value="">No other operator is online</option>}
        {targets.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={!target || busy} onClick={() => void transfer()}>
        Transfer
      </button>
      {target && (
        <span class="muted">
          {target.status}, {target.active_chats}/{target.chat_limit} chats
        </span>
      )}
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
