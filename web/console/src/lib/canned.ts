// Canned replies in the composer: which "/" opens the list, what it
// matches, and how a reply's placeholders are filled when it is inserted.
import type { CannedReply } from '../api/types';

/**
 * fillCannedReply fills {visitor} with the visitor's name as the console
 * shows it and {operator} with the operator's name, in one pass (a name
 * that holds a placeholder is not filled again): the rule of the server's
 * desk.FillCannedReply. The result is plain text, shown and sent as text.
 */
export function fillCannedReply(text: string, visitor: string, operator: string): string {
  return text.replace(/\{(visitor|operator)\}/g, (_m, name: string) => (name === 'visitor' ? visitor : operator));
}

/** The longest text after "/" that still counts as a search. */
const MAX_QUERY = 40;

/**
 * slashQuery finds the "/" the operator is typing a search after: the last
 * "/" before the caret that starts the message or follows white space, with
 * no line break between it and the caret. Returns its index and the search,
 * or null. ("http://x" does not open the list.)
 */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  for (let i = before.length - 1; i >= 0 && before.length - i <= MAX_QUERY + 1; i--) {
    const c = before[i];
    if (c === '\n') return null;
    if (c === '/' && (i === 0 || /\s/.test(before[i - 1]))) return { start: i, query: before.slice(i + 1) };
  }
  return null;
}

/**
 * matchCannedReplies filters by shortcut and text, regardless of case:
 * shortcuts that start with the search first, then those that contain it,
 * then replies whose text contains it; each group in the server's order.
 */
export function matchCannedReplies(replies: CannedReply[], query: string): CannedReply[] {
  const q = query.trim().toLowerCase();
  if (!q) return replies;
  const rank = (r: CannedReply) => {
    const s = r.shortcut.toLowerCase();
    if (s.startsWith(q)) return 0;
    if (s.includes(q)) return 1;
    if (r.text.toLowerCase().includes(q)) return 2;
    return 3;
  };
  return replies
    .map((r, i) => ({ r, i, rank: rank(r) }))
    .filter((x) => x.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.r);
}
