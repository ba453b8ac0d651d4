// Asks the server who would get a chat from a page right now, computed by
// the same function that routes real chats.
import { useState } from 'preact/hooks';
import { testActionRules } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { RoutingTest } from '../../api/types';
import { TextField } from '../../components/fields';

export function RuleTester() {
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [referrer, setReferrer] = useState('');
  const [result, setResult] = useState<RoutingTest | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      setResult(await testActionRules({ url: url.trim(), title, referrer: referrer.trim() }));
    } catch (err) {
      setResult(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="subform tester" onSubmit={submit} aria-labelledby="rule-tester-h">
      <h4 id="rule-tester-h">Rule tester</h4>
      <p class="muted">Who would get a chat from this page right now?</p>
      <div class="field-row">
        <TextField id="test-url" label="Page URL" value={url} onInput={setUrl} placeholder="https://www.example.com/product/1" />
        <TextField id="test-title" label="Title" value={title} onInput={setTitle} />
        <TextField id="test-referrer" label="Referrer" value={referrer} onInput={setReferrer} />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          Test
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div class="test-result" data-testid="rule-test-result" role="status">
          <p class="test-operator">
            {result.operator ? (
              <>
                Operator: <strong>{result.operator.name}</strong>
              </>
            ) : (
              <strong>No operator: the chat would wait</strong>
            )}
          </p>
          <p>{result.text}</p>
          {(result.passed_over ?? []).length > 0 && (
            <>
              <p class="muted">Passed over:</p>
              <ul class="passed-over">
                {(result.passed_over ?? []).map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </form>
  );
}
