// How a chat was routed: each decision's sentence and who was passed over.
import type { RoutingEntry } from '../../api/types';
import { formatTime } from '../../lib/time';

export function RoutingInfo({ routing: given, open }: { routing: RoutingEntry[] | null; open?: boolean }) {
  const routing = given ?? [];
  return (
    <details class="routing" data-testid="routing" open={open ?? true}>
      <summary>How this chat was routed</summary>
      {routing.length === 0 ? (
        <p class="muted">No routing decision yet.</p>
      ) : (
        <ol>
          {routing.map((r, i) => (
            <li key={i} class={`routing-${r.kind}`}>
              <span class="routing-text">{r.text}</span> <time class="muted">{formatTime(r.at)}</time>
              {r.passed_over?.length > 0 && (
                <ul class="passed-over" aria-label="Passed over">
                  {r.passed_over.map((p, j) => (
                    <li key={j}>{p}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
