// The pages one visitor viewed this visit, in order, with how long each lasted.
import { useEffect, useState } from 'preact/hooks';
import { getVisitorPages } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { PageView, VisitorRow } from '../../api/types';
import { formatClock, formatDuration } from '../../lib/time';

interface Props {
  visitorId: number;
  row: VisitorRow | null;
  now: number;
  onClose: () => void;
}

export function VisitorPages({ visitorId, row, now, onClose }: Props) {
  const [pages, setPages] = useState<PageView[] | null>(null);
  const [name, setName] = useState(row?.name ?? '');
  const [error, setError] = useState('');

  // Reload when the visitor moves on to another page.
  const version = row ? `${row.pages_viewed}|${row.page_started_at}` : '';
  useEffect(() => {
    let live = true;
    getVisitorPages(visitorId).then(
      (r) => {
        if (!live) return;
        setPages(r.pages ?? []);
        if (r.visitor) setName(r.visitor.name);
        setError('');
      },
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [visitorId, version]);

  return (
    <aside class="visitor-detail" aria-label="Pages viewed">
      <header>
        <h2>{row?.name ?? name ?? 'Visitor'}</h2>
        <button type="button" class="link" onClick={onClose}>
          Close
        </button>
      </header>
      {!row && <p class="muted">This visitor has left the site.</p>}
      {row && <p class="muted">{row.status}</p>}
      <h3>Pages viewed this visit</h3>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {pages === null && !error && <p class="muted">Loading…</p>}
      {pages && pages.length === 0 && <p class="muted">No page views.</p>}
      {pages && (
        <ol class="page-views" data-testid="visitor-pages">
          {pages.map((p, i) => {
            const next = pages[i + 1];
            const start = Date.parse(p.started_at);
            const spent = next ? Date.parse(next.started_at) - start : row ? now - start : NaN;
            return (
              <li key={i}>
                <span class="page-title">{p.title || '(no title)'}</span>
                <span class="page-url">{p.url}</span>
                <span class="muted">
                  {formatClock(p.started_at)}
                  {!Number.isNaN(spent) && ` · ${formatDuration(spent)}`}
                  {!next && row && ' · current page'}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </aside>
  );
}
