import { useState } from 'preact/hooks';
import { errorText } from '../../api/http';

/** Runs one save at a time and remembers its outcome for the form to show. */
export function useSave() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);

  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError('');
    setSaved(false);
    try {
      await fn();
      setSaved(true);
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, saved, run, setError, clear: () => (setSaved(false), setError('')) };
}
