// A mock of the widget — the open panel and the launcher — drawn from the
// Appearance form's values as they are typed, before saving.
import { hexColor } from '../../lib/contrast';
import { useLiveContext } from '../../state/useLive';
import type { Look } from './WidgetLookForm';

export function WidgetPreview({ look }: { look: Look }) {
  const { state } = useLiveContext();
  const accent = hexColor(look.accent_color) ?? '#2357d9';
  const name = look.show_operator_names ? state.me.name : 'Support';
  return (
    <figure
      class={`widget-preview side-${look.launcher_position}`}
      style={{ '--wp-accent': accent }}
      data-testid="widget-preview"
      aria-labelledby="widget-preview-cap"
    >
      <figcaption id="widget-preview-cap" class="muted">
        Preview
      </figcaption>
      <div class="wp-panel">
        <div class="wp-header" dir="auto" data-testid="preview-title">
          {look.panel_title}
        </div>
        <div class="wp-body">
          {look.greeting.trim() && (
            <p class="wp-greeting" dir="auto" data-testid="preview-greeting">
              {look.greeting.trim()}
            </p>
          )}
          <div class="wp-op">
            <span class="wp-name" data-testid="preview-operator">
              {name}
            </span>
            <span class="wp-bubble">Hello! How can I help?</span>
          </div>
          <div class="wp-vis">
            <span class="wp-bubble">Do you ship to Norway?</span>
          </div>
        </div>
      </div>
      <div class="wp-launcher" aria-hidden="true" data-testid="preview-launcher" />
    </figure>
  );
}
