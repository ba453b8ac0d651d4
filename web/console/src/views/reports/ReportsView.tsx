// "Reports": how the team did over a period (default: the last 7 days) in
// the operator's time zone. Every chart is CSS bars beside a table of the
// same numbers (the table is what screen readers and tests read).
import { useEffect, useState } from 'preact/hooks';
import { getReport } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { Report, ReportTimes } from '../../api/types';
import { formatSeconds } from '../../lib/time';

interface Bar {
  label: string;
  value: number;
}

/** Bars: a picture of the table after it, hidden from assistive technology. */
function Bars({ bars, testid }: { bars: Bar[]; testid: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <div class="bars" aria-hidden="true" data-testid={testid}>
      {bars.map((b) => (
        <div class="bar" key={b.label} title={`${b.label}: ${b.value}`}>
          <div class="bar-fill" style={{ height: `${(b.value / max) * 100}%` }} />
          <div class="bar-label">{b.label}</div>
        </div>
      ))}
    </div>
  );
}

function TimesRow({ name, t, id }: { name: string; t: ReportTimes; id: string }) {
  return (
    <tr data-testid={`report-${id}`}>
      <th scope="row">{name}</th>
      <td class="cell-num">{formatSeconds(t.p50_seconds)}</td>
      <td class="cell-num">{formatSeconds(t.p90_seconds)}</td>
      <td class="cell-num">{t.chats}</td>
    </tr>
  );
}

export function ReportsView() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [applied, setApplied] = useState({ from: '', to: '' });
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError('');
    getReport(applied.from, applied.to)
      .then((r) => {
        if (!live) return;
        setReport(r);
        setFrom(r.from);
        setTo(r.to);
      })
      .catch((err) => live && setError(errorText(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [applied]);

  const r = report;
  return (
    <div class="reports-view">
      <h1>Reports</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ from, to });
        }}
      >
        <div class="field">
          <label for="r-from">From</label>
          <input id="r-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="r-to">To</label>
          <input id="r-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">
            Show
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {loading && <p class="muted">Loading…</p>}
      {r && (
        <div class="report" data-testid="report" data-from={r.from} data-to={r.to}>
          <p class="muted">
            {r.from} to {r.to} ({r.time_zone})
          </p>
          <section aria-labelledby="r-summary">
            <h2 id="r-summary">Summary</h2>
            <table class="table report-table">
              <tbody>
                <tr data-testid="report-chats">
                  <th scope="row">Chats</th>
                  <td class="cell-num">{r.chats}</td>
                </tr>
                <tr data-testid="report-missed">
                  <th scope="row">Missed chats</th>
                  <td class="cell-num">{r.missed}</td>
                </tr>
                <tr data-testid="report-rated-good">
                  <th scope="row">Rated 👍 Good</th>
                  <td class="cell-num">{r.ratings.good}</td>
                </tr>
                <tr data-testid="report-rated-bad">
                  <th scope="row">Rated 👎 Bad</th>
                  <td class="cell-num">{r.ratings.bad}</td>
                </tr>
              </tbody>
            </table>
            <table class="table report-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Median (p50)</th>
                  <th scope="col">p90</th>
                  <th scope="col">Chats</th>
                </tr>
              </thead>
              <tbody>
                <TimesRow name="Waiting time" t={r.wait} id="wait" />
                <TimesRow name="First response time" t={r.first_response} id="first-response" />
                <TimesRow name="Chat duration" t={r.duration} id="duration" />
              </tbody>
            </table>
          </section>
          <section aria-labelledby="r-days">
            <h2 id="r-days">Chats per day</h2>
            <Bars testid="chart-days" bars={r.per_day.map((d) => ({ label: d.date.slice(5), value: d.chats }))} />
            <table class="table report-table" data-testid="report-days">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Chats</th>
                  <th scope="col">Missed</th>
                </tr>
              </thead>
              <tbody>
                {r.per_day.map((d) => (
                  <tr key={d.date} data-testid={`report-day-${d.date}`}>
                    <th scope="row">{d.date}</th>
                    <td class="cell-num">{d.chats}</td>
                    <td class="cell-num">{d.missed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="r-operators">
            <h2 id="r-operators">Chats per operator</h2>
            <Bars testid="chart-operators" bars={r.per_operator.map((o) => ({ label: o.operator.name, value: o.chats }))} />
            <table class="table report-table" data-testid="report-operators">
              <thead>
                <tr>
                  <th scope="col">Operator</th>
                  <th scope="col">Chats</th>
                </tr>
              </thead>
              <tbody>
                {r.per_operator.map((o) => (
                  <tr key={o.operator.id}>
                    <th scope="row">{o.operator.name}</th>
                    <td class="cell-num">{o.chats}</td>
                  </tr>
                ))}
                {r.per_operator.length === 0 && (
                  <tr>
                    <td colSpan={2} class="muted">
                      No chat was assigned in this period.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="r-hours">
            <h2 id="r-hours">Busiest hours</h2>
            <Bars testid="chart-hours" bars={r.per_hour.map((n, h) => ({ label: String(h).padStart(2, '0'), value: n }))} />
            <table class="table report-table" data-testid="report-hours">
              <thead>
                <tr>
                  <th scope="col">Hour</th>
                  <th scope="col">Chats started</th>
                </tr>
              </thead>
              <tbody>
                {r.per_hour.map((n, h) => (
                  <tr key={h} data-testid={`report-hour-${h}`}>
                    <th scope="row">{`${String(h).padStart(2, '0')}:00`}</th>
                    <td class="cell-num">{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </div>
  );
}
