import { useEffect, useState } from 'preact/hooks';

/** The server's "now" in ms, re-rendering the caller every second. */
export function useNow(clockOffset: number): number {
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setLocal(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return local + clockOffset;
}
