// Links in message text, as the widget shows them: http and https only,
// opened in a new tab without a referrer or a handle on the console. The
// rest stays text: Preact makes text nodes of strings, never markup.
import type { ComponentChildren } from 'preact';

// The widget's pattern (web/widget/src/panel.ts): a URL ends before
// trailing punctuation.
const URL_RE = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/g;

function safeHref(s: string): string | null {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** linkify turns body into text and <a> elements for its http(s) URLs. */
export function linkify(body: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let at = 0;
  for (const m of body.matchAll(URL_RE)) {
    const href = safeHref(m[0]);
    if (!href) continue;
    if (m.index > at) out.push(body.slice(at, m.index));
    out.push(
      <a href={href} target="_blank" rel="noopener noreferrer">
        {m[0]}
      </a>,
    );
    at = m.index + m[0].length;
  }
  if (at < body.length) out.push(body.slice(at));
  return out;
}
