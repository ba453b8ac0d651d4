// "History": ended chats, filtered, newest first, with "Load more": who
// ended each and why, its wait, first response and duration, and the
// filtered list as a CSV file.
import { useEffect, useState } from 'preact/hooks';
import { endedChatsCsvUrl, listEndedChats, timeZone, type ChatFilter } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Chat } from '../../api/types';
import { formatDateTime, formatSeconds } from '../../lib/time';
import { useLiveContext } from '../../state/useLive';
import { HistoryDetail } from './HistoryDetail';

const PAGE = 50;

interface Filters {
  visitor: string;
  operator: string;
  from: string;
  to: string;
  q: string;
  ended: string; // '', 'visitor', 'operator', 'inactivity' or 'missed'
  wait: string; // at least this many seconds, '' for any
  response: string;
  duration: string;
  rating: string; // '', 'good' or 'bad'
}

const EMPTY: Filters = { visitor: '', operator: '', from: '', to: '', q: '', ended: '', wait: '', response: '', duration: '', rating: '' };

const RATINGS = [
  { value: '', label: 'Any' },
  { value: 'good', label: 'Good' },
  { value: 'bad', label: 'Bad' },
];

const ENDED = [
  { value: '', label: 'Any way' },
  { value: 'visitor', label: 'By the visitor' },
  { value: 'operator', label: 'By an operator' },
  { value: 'inactivity', label: 'Due to inactivity' },
  { value: 'missed', label: 'Missed (never answered)' },
];

// "over N": the thresholds a support lead looks for
const OVER = [
  { value: '', label: 'Any' },
  { value: '30', label: 'Over 30 s' },
  { value: '60', label: 'Over 1 min' },
  { value: '120', label: 'Over 2 min' },
  { value: '300', label: 'Over 5 min' },
  { value: '600', label: 'Over 10 min' },
  { value: '1800', label: 'Over 30 min' },
];

const seconds = (v: string) => (v ? Number(v) : undefined);

function toQuery(f: Filters): ChatFilter {
  const visitor = f.visitor.trim().replace(/^#/, '');
  return {
    visitor_id: /^\d+$/.test(visitor) ? Number(visitor) : undefined,
    operator_id: f.operator ? Number(f.operator) : undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    q: f.q.trim() || undefined,
    ended: f.ended && f.ended !== 'missed' ? (f.ended as ChatFilter['ended']) : undefined,
    missed: f.ended === 'missed' || undefined,
    min_wait_seconds: seconds(f.wait),
    min_first_response_seconds: seconds(f.response),
    min_duration_seconds: seconds(f.duration),
    rating: f.rating ? (f.rating as ChatFilter['rating']) : undefined,
    tz: timeZone(),
    limit: PAGE,
  };
}

export function HistoryView() {
  const { state } = useLiveContext();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [chats, setChats] = useState<Chat[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);

  async function load(f: Filters, beforeId?: number) {
    setLoading(true);
    setError('');
    try {
      const r = await listEndedChats({ ...toQuery(f), before_id: beforeId });
      const got = r.chats ?? [];
      setChats((prev) => (beforeId ? [...prev, ...got] : got));
      setMore(got.length >= PAGE);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => void load(applied), [applied]);

  const set = (k: keyof Filters) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  const operators = Object.values(state.operators).sort((a, b) => a.name.localeCompare(b.name));
  const visitorInvalid = draft.visitor.trim() !== '' && !/^#?\d+$/.test(draft.visitor.trim());

  return (
    <div class={openId === null ? 'history-view' : 'history-view with-detail'}>
      <div class="history-main">
        <h1>Ended chats</h1>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ ...draft });
          }}
        >
          <div class="field">
            <label for="h-visitor">Visitor ID</label>
            <input id="h-visitor" inputMode="numeric" value={draft.visitor} onInput={set('visitor')} placeholder="e.g. 5" />
          </div>
          <div class="field">
            <label for="h-operator">Operator</label>
            <select id="h-operator" value={draft.operator} onChange={set('operator')}>
              <option value="">Any operator</option>
              {operators.map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="h-from">From</label>
            <input id="h-from" type="date" value={draft.from} onInput={set('from')} />
          </div>
          <div class="field">
            <label for="h-to">To</label>
            <input id="h-to" type="date" value={draft.to} onInput={set('to')} />
          </div>
          <div class="field">
            <label for="h-ended">Ended</label>
            <select id="h-ended" value={draft.ended} onChange={set('ended')}>
              {ENDED.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="h-rating">Rating</label>
            <select id="h-rating" value={draft.rating} onChange={set('rating')}>
              {RATINGS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          {(
            [
              ['wait', 'h-wait', 'Wait'],
              ['response', 'h-response', 'First response'],
              ['duration', 'h-duration', 'Duration'],
            ] as const
          ).map(([k, id, label]) => (
            <div class="field" key={k}>
              <label for={id}>{label}</label>
              <select id={id} value={draft[k]} onChange={set(k)}>
                {OVER.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div class="field field-grow">
            <label for="h-q">Text</label>
            <input id="h-q" type="search" value={draft.q} onInput={set('q')} placeholder="Words in the messages" />
          </div>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={visitorInvalid}>
              Search
            </button>
            <button
              type="button"
              onClick={() => {
                setDraft(EMPTY);
                setApplied(EMPTY);
              }}
            >
              Clear
            </button>
            <a class="button" href={endedChatsCsvUrl(toQuery(applied))} download data-testid="history-csv">
              Download CSV
            </a>
          </div>
        </form>
        {visitorInvalid && <p class="error">The visitor ID is a number, e.g. 5.</p>}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <table class="table history-table" data-testid="history">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Visitor</th>
              <th scope="col">Operator</th>
              <th scope="col">Ended by</th>
              <th scope="col">Wait</th>
              <th scope="col">First response</th>
              <th scope="col">Duration</th>
              <th scope="col">Rating</th>
              <th scope="col">Last message</th>
            </tr>
          </thead>
          <tbody>
            {chats.map((c) => (
              <tr
                key={c.id}
                data-testid={`history-chat-${c.id}`}
                class={c.id === openId ? 'selected clickable' : 'clickable'}
                onClick={() => setOpenId(c.id)}
              >
                <td>{formatDateTime(c.created_at)}</td>
                <td>
                  <button type="button" class="link" onClick={() => setOpenId(c.id)}>
                    {c.visitor.name}
                  </button>
                </td>
                <td>{c.operator?.name ?? <span class="muted">None</span>}</td>
                <td data-testid="cell-ended-by">{c.ended_by_text ?? c.end_text}</td>
                <td data-testid="cell-wait" class="cell-num">
                  {formatSeconds(c.wait_seconds)}
                </td>
                <td data-testid="cell-response" class="cell-num">
                  {formatSeconds(c.first_response_seconds)}
                </td>
                <td data-testid="cell-duration" class="cell-num">
                  {formatSeconds(c.duration_seconds)}
                </td>
                <td data-testid="cell-rating" title={c.rating?.comment || undefined}>
                  {c.rating ? (c.rating.value === 'good' ? '👍 Good' : '👎 Bad') : ''}
                </td>
                <td class="cell-ellipsis">{c.last_message?.body ?? ''}</td>
              </tr>
            ))}
            {!loading && chats.length === 0 && (
              <tr>
                <td colSpan={9} class="muted">
                  No ended chat matches.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {loading && <p class="muted">Loading…</p>}
        {more && !loading && (
          <button type="button" onClick={() => void load(applied, chats[chats.length - 1]?.id)}>
            Load more
          </button>
        )}
      </div>
      {openId !== null && <HistoryDetail key={openId} chatId={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
