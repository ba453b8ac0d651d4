// The highest seq each chat was seen at, kept per operator in localStorage so
// a reload does not mark every old visitor line as unread again.

const key = (operatorId: number) => `outputdesk.seen.${operatorId}`;
const KEEP = 200;

export function loadSeen(operatorId: number): Record<number, number> {
  try {
    const raw = localStorage.getItem(key(operatorId));
    const data: unknown = raw ? JSON.parse(raw) : null;
    if (!data || typeof data !== 'object') return {};
    const out: Record<number, number> = {};
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === 'number' && /^\d+$/.test(k)) out[Number(k)] = v;
    }
    return out;
  } catch {
    return {};
  }
}

export function saveSeen(operatorId: number, seen: Record<number, number>): void {
  // Keep the newest chats only (ids grow), so the entry stays small.
  const ids = Object.keys(seen).map(Number).sort((a, b) => b - a).slice(0, KEEP);
  const out: Record<number, number> = {};
  for (const id of ids) out[id] = seen[id];
  try {
    localStorage.setItem(key(operatorId), JSON.stringify(out));
  } catch {
    // Storage full or disabled: unread counts then start over on reload.
  }
}
