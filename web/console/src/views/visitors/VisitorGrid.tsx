// The Visitor List grid, windowed by hand: rows have a fixed height and only
// the rows in view (plus a few either side) are in the DOM, so thousands of
// visitors scroll smoothly. ARIA table roles keep it a table for tests and
// screen readers.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { VisitorRow } from '../../api/types';
import { formatDuration, since } from '../../lib/time';

export type SortKey = 'site-desc' | 'site-asc' | 'page-desc' | 'page-asc';

export const ROW_HEIGHT = 48;
const OVERSCAN = 8;

interface Props {
  rows: VisitorRow[];
  /** when it changes (new filter or sort), the grid scrolls back to the top */
  resetKey: string;
  now: number;
  sort: SortKey;
  onSort: (s: SortKey) => void;
  selectedId: number | null;
  onSelect: (id: number) => void;
  inviting: Record<number, true>;
  onInvite: (row: VisitorRow) => void;
}

export function VisitorGrid(p: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [p.resetKey]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(p.rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = p.rows.slice(first, last);

  return (
    <div
      class="grid-scroller"
      ref={scroller}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="table"
      aria-label="Visitor List"
      aria-rowcount={p.rows.length + 1}
      data-testid="visitor-list"
    >
      <div role="rowgroup" class="grid-head">
        <div role="row" class="grid-row" aria-rowindex={1}>
          <div role="columnheader">Visitor</div>
          <div role="columnheader">Page</div>
          <SortHeader label="Time on page" which="page" sort={p.sort} onSort={p.onSort} />
          <SortHeader label="Time on site" which="site" sort={p.sort} onSort={p.onSort} />
          <div role="columnheader" class="num">
            Pages
          </div>
          <div role="columnheader">Referrer</div>
          <div role="columnheader">Browser / OS</div>
          <div role="columnheader">Status</div>
          <div role="columnheader">
            <span class="sr-only">Invite</span>
          </div>
        </div>
      </div>
      <div role="rowgroup" class="grid-body" style={{ height: `${p.rows.length * ROW_HEIGHT}px` }}>
        {p.rows.length === 0 && <div class="grid-empty muted">No visitor is on the site.</div>}
        <div class="grid-window" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
          {visible.map((row, i) => (
            <Row key={row.id} row={row} index={first + i} {...p} />
          ))}
        </div>
      </div>
    </div>
  );
}

function SortHeader(p: { label: string; which: 'site' | 'page'; sort: SortKey; onSort: (s: SortKey) => void }) {
  const active = p.sort.startsWith(p.which);
  const desc = p.sort.endsWith('desc');
  return (
    <div
      role="columnheader"
      class="num"
      aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}
    >
      <button
        type="button"
        class="sort-button"
        onClick={() => p.onSort(`${p.which}-${active && desc ? 'asc' : 'desc'}`)}
      >
        {p.label}
        <span aria-hidden="true">{active ? (desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </div>
  );
}

function Row({ row, index, now, selectedId, onSelect, inviting, onInvite }: Props & { row: VisitorRow; index: number }) {
  const selected = row.id === selectedId;
  const busy = !!inviting[row.id];
  const browser = [row.browser, row.os].filter(Boolean).join(' / ');
  return (
    <div
      role="row"
      class={selected ? 'grid-row selected' : 'grid-row'}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={0}
      data-testid={`visitor-row-${row.id}`}
      onClick={() => onSelect(row.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) onSelect(row.id);
      }}
    >
      <div role="cell" class="cell-name" title={row.name}>
        {row.name}
      </div>
      <div role="cell" class="cell-page" title={row.page?.url ?? ''}>
        <span class="page-title">{row.page?.title || '(no title)'}</span>
        <span class="page-url">{row.page?.url ?? ''}</span>
      </div>
      <div role="cell" class="num">
        {formatDuration(since(row.page_started_at, now))}
      </div>
      <div role="cell" class="num">
        {formatDuration(since(row.visit_started_at, now))}
      </div>
      <div role="cell" class="num">
        {row.pages_viewed}
      </div>
      <div role="cell" class="cell-ellipsis" title={row.referrer ?? ''}>
        {row.referrer || <span class="muted">Direct</span>}
      </div>
      <div role="cell" class="cell-ellipsis" title={browser}>
        {browser}
      </div>
      <div role="cell" class="cell-ellipsis cell-status">
        {row.status}
      </div>
      <div role="cell">
        <button
          type="button"
          class="small"
          disabled={!row.can_invite || busy}
          onClick={(e) => {
            e.stopPropagation();
            onInvite(row);
          }}
        >
          Invite
        </button>
      </div>
    </div>
  );
}
