// "Offline messages": what visitors left with "Leave a message" while no
// operator was Online, newest first; any operator marks one "Handled".
// Everything a visitor wrote is rendered as text.
import { useEffect, useState } from 'preact/hooks';
import { listOfflineMessages, markHandled } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { OfflineMessage } from '../../api/types';
import { formatDateTime } from '../../lib/time';
import { useLiveContext } from '../../state/useLive';

export function OfflineMessagesView() {
  const { state } = useLiveContext();
  const [list, setList] = useState<OfflineMessage[] | null>(null);
  const [error, setError] = useState('');

  // Read again whenever one is left or handled, on any node.
  useEffect(() => {
    let live = true;
    listOfflineMessages().then(
      (r) => live && setList(r.offline_messages),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [state.offlineChanged]);

  async function handle(id: number) {
    try {
      const m = await markHandled(id);
      setList((l) => (l ?? []).map((x) => (x.id === id ? m : x)));
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section class="card offline-messages" aria-labelledby="offline-h" data-testid="offline-messages">
      <h1 id="offline-h">Offline messages</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {list && list.length === 0 && <p class="muted">No offline message yet.</p>}
      {list && list.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Message</th>
              <th scope="col">Page</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.id} data-testid={`offline-message-${m.id}`}>
                <td>{formatDateTime(m.created_at)}</td>
                <td>
                  {m.name && <div>{m.name}</div>}
                  <a href={`mailto:${m.email}`}>{m.email}</a>
                </td>
                <td class="offline-body">{m.message}</td>
                <td class="page-url" title={m.page.url}>
                  {m.page.title || m.page.url}
                </td>
                <td>
                  {m.handled_at ? (
                    <span>
                      Handled{m.handled_by ? ` by ${m.handled_by.name}` : ''}
                    </span>
                  ) : (
                    <button type="button" onClick={() => handle(m.id)}>
                      Handled
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
