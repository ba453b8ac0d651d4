import type { Message } from '../api/types';

/**
 * Merges messages into a list held in seq order. A seq already held is
 * ignored, so a resend or a replay after reconnecting never doubles a line.
 * Returns `held` itself when nothing was added.
 */
export function mergeMessages(held: Message[], incoming: Message[]): Message[] {
  let out = held;
  for (const m of incoming) {
    const last = out.length ? out[out.length - 1].seq : 0;
    if (m.seq > last) {
      out = out === held ? [...held, m] : (out.push(m), out);
      continue;
    }
    // Older than the newest: insert only if this seq is missing.
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid].seq < m.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo < out.length && out[lo].seq === m.seq) continue;
    if (out === held) out = [...held];
    out.splice(lo, 0, m);
  }
  return out;
}
