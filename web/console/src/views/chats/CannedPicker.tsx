// The canned reply list of the composer: "/" at the start of the message
// (or after a space) opens it, what follows filters it by shortcut and
// text, ↑/↓ move, Enter or Tab inserts the reply with {visitor} and
// {operator} filled in, Escape closes it. The message box keeps the focus
// throughout: it points at the active option with aria-activedescendant.
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listCannedReplies } from '../../api/endpoints';
import type { CannedReply } from '../../api/types';
import { fillCannedReply, matchCannedReplies, slashQuery } from '../../lib/canned';
import { useLiveContext } from '../../state/useLive';
import '../../styles/canned.css';

const LIST_ID = 'canned-list';
const optionId = (id: number) => `canned-option-${id}`;

interface Options {
  text: string;
  setText: (t: string) => void;
  box: RefObject<HTMLTextAreaElement | null>;
  /** the visitor's name as the console shows it, for {visitor} */
  visitorName: string;
}

export function useCannedPicker({ text, setText, box, visitorName }: Options) {
  const { state } = useLiveContext();
  const [replies, setReplies] = useState<CannedReply[]>([]);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  // The "/" the operator closed the list for with Escape: it stays closed
  // until they type another one.
  const [dismissed, setDismissed] = useState(-1);

  // Read them when the composer opens and whenever they change (an admin's
  // shared ones, or this operator's own on another console).
  useEffect(() => {
    let live = true;
    listCannedReplies().then(
      (r) => live && setReplies(r.replies ?? []),
      () => {}, // the list stays as it was; the settings view shows errors
    );
    return () => {
      live = false;
    };
  }, [state.changed.canned_replies]);

  const slash = slashQuery(text, caret);
  const open = slash !== null && slash.start !== dismissed;
  const matches = open ? matchCannedReplies(replies, slash.query) : [];
  const current = matches[Math.min(active, matches.length - 1)];

  useEffect(() => setActive(0), [slash?.query, slash?.start]);
  useEffect(() => {
    if (dismissed >= 0 && slash?.start !== dismissed) setDismissed(-1);
  }, [slash?.start]);
  useEffect(() => {
    if (current) document.getElementById(optionId(current.id))?.scrollIntoView({ block: 'nearest' });
  }, [current?.id]);

  function insert(r: CannedReply) {
    if (!slash) return;
    const filled = fillCannedReply(r.text, visitorName, state.me.name);
    const next = text.slice(0, slash.start) + filled + text.slice(caret);
    const at = slash.start + filled.length;
    setText(next);
    setCaret(at);
    const el = box.current;
    if (el) {
      // Preact sets the value on the next render; put the caret after the
      // inserted text once it is there.
      requestAnimationFrame(() => {
        el.focus();
        el.setSelectionRange(at, at);
      });
    }
  }

  /** onKeyDown handles the list's keys; true when the key was the list's. */
  function onKeyDown(e: KeyboardEvent): boolean {
    if (!open || e.isComposing) return false;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!matches.length) return false;
        e.preventDefault();
        setActive((i) => (Math.min(i, matches.length - 1) + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return true;
      case 'Enter':
      case 'Tab':
        if (!current || e.shiftKey) return false;
        e.preventDefault();
        insert(current);
        return true;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        setDismissed(slash.start);
        return true;
    }
    return false;
  }

  /** Where the caret is decides whether a "/" search is under way. */
  const track = (el: HTMLTextAreaElement) => setCaret(el.selectionStart ?? el.value.length);

  // aria-activedescendant and aria-autocomplete are a textbox's own (the
  // message box's implicit role); aria-controls names the list.
  const boxProps = {
    'aria-autocomplete': 'list' as const,
    // only while the list is there: an id that names nothing is an error to assistive tech (and axe)
    'aria-controls': open && matches.length > 0 ? LIST_ID : undefined,
    'aria-activedescendant': open && current ? optionId(current.id) : undefined,
  };

  const popup = open ? (
    <div class="canned-picker" data-testid="canned-picker">
      {matches.length === 0 ? (
        <p class="muted canned-empty" role="status">
          {replies.length === 0 ? 'No canned replies yet. Add them in Settings > Canned Replies.' : 'No canned reply matches.'}
        </p>
      ) : (
        <ul id={LIST_ID} role="listbox" aria-label="Canned replies">
          {matches.map((r) => (
            <li
              key={r.id}
              id={optionId(r.id)}
              role="option"
              aria-selected={r === current}
              class={r === current ? 'active' : ''}
              // keep the focus in the message box
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(r)}
            >
              <span class="canned-shortcut">/{r.shortcut}</span>
              {r.shared && <span class="canned-tag">Shared</span>}
              <span class="canned-text">{r.text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  ) : null;

  return { onKeyDown, track, boxProps, popup };
}
