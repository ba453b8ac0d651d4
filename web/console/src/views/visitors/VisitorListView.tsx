// "Visitor List": every visitor on the site, live, with "Invite".
import { useMemo, useState } from 'preact/hooks';
import { inviteVisitor } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { VisitorRow } from '../../api/types';
import { useNow } from '../../lib/useNow';
import { useLiveContext } from '../../state/useLive';
import { VisitorGrid, type SortKey } from './VisitorGrid';
import { VisitorPages } from './VisitorPages';

const SORTS: { value: SortKey; label: string }[] = [
  { value: 'site-desc', label: 'Time on site, longest first' },
  { value: 'site-asc', label: 'Time on site, shortest first' },
  { value: 'page-desc', label: 'Time on page, longest first' },
  { value: 'page-asc', label: 'Time on page, shortest first' },
];

function startOf(row: VisitorRow, key: SortKey): number {
  const t = Date.parse(key.startsWith('site') ? row.visit_started_at : row.page_started_at);
  return Number.isNaN(t) ? 0 : t;
}

/** Filtered and sorted once per change of the list, not once per tick. */
function arrange(rows: Map<number, VisitorRow>, filter: string, sort: SortKey): VisitorRow[] {
  const f = filter.trim().toLowerCase();
  const out: { row: VisitorRow; start: number }[] = [];
  for (const row of rows.values()) {
    if (f && !(row.page?.url ?? '').toLowerCase().includes(f)) continue;
    out.push({ row, start: startOf(row, sort) });
  }
  // Longest first = the earliest start first.
  const dir = sort.endsWith('desc') ? 1 : -1;
  out.sort((a, b) => dir * (a.start - b.start) || a.row.id - b.row.id);
  return out.map((x) => x.row);
}

export function VisitorListView() {
  const { state } = useLiveContext();
  const now = useNow(state.clockOffset);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('site-desc');
  const [selected, setSelected] = useState<number | null>(null);
  const [inviting, setInviting] = useState<Record<number, true>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const rows = useMemo(() => arrange(state.visitors, filter, sort), [state.visitors, filter, sort]);

  async function invite(row: VisitorRow) {
    setInviting((m) => ({ ...m, [row.id]: true }));
    setMessage(null);
    try {
      await inviteVisitor(row.id);
      setMessage({ text: `Invitation sent to ${row.name}.`, error: false });
    } catch (err) {
      setMessage({ text: errorText(err), error: true });
    } finally {
      setInviting((m) => {
        const next = { ...m };
        delete next[row.id];
        return next;
      });
    }
  }

  return (
    <div class={selected === null ? 'visitors-view' : 'visitors-view with-detail'}>
      <div class="visitors-main">
        <div class="toolbar">
          <h1>Visitors on the site</h1>
          <span class="muted" aria-live="polite">
            {state.visitorsReady
              ? rows.length === state.visitors.size
                ? `${rows.length} on the site`
                : `${rows.length} of ${state.visitors.size} on the site`
              : 'Loading…'}
          </span>
          <div class="toolbar-fields">
            <label for="visitor-filter">Filter by URL</label>
            <input
              id="visitor-filter"
              type="search"
              placeholder="e.g. /pricing"
              value={filter}
              onInput={(e) => setFilter(e.currentTarget.value)}
            />
            <label for="visitor-sort">Sort by</label>
            <select id="visitor-sort" value={sort} onChange={(e) => setSort(e.currentTarget.value as SortKey)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {message && (
          <p class={message.error ? 'error' : 'success'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        <VisitorGrid
          rows={rows}
          resetKey={`${filter}|${sort}`}
          now={now}
          sort={sort}
          onSort={setSort}
          selectedId={selected}
          onSelect={setSelected}
          inviting={inviting}
          onInvite={(row) => void invite(row)}
        />
      </div>
      {selected !== null && (
        <VisitorPages
          key={selected}
          visitorId={selected}
          row={state.visitors.get(selected) ?? null}
          now={now}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
