// WCAG 2's contrast ratio, the same computation as the server's
// (internal/desk/appearance.go: ContrastRatio, FormatRatio), so the ratio
// Settings shows while an admin picks a colour is the one the server
// checks on save.

/** The lowest ratio the server takes for the accent colour (WCAG AA). */
export const MIN_ACCENT_CONTRAST = 4.5;

/** hexColor reads "#rgb" or "#rrggbb" as "#rrggbb" in lower case, or null. */
export function hexColor(s: string): string | null {
  let c = s.trim();
  if (/^#[0-9a-f]{3}$/i.test(c)) c = '#' + c[1] + c[1] + c[2] + c[2] + c[3] + c[3];
  return /^#[0-9a-f]{6}$/i.test(c) ? c.toLowerCase() : null;
}

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const ch = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * ch((n >> 16) & 255) + 0.7152 * ch((n >> 8) & 255) + 0.0722 * ch(n & 255);
}

/** contrastRatio of two "#rrggbb" colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** formatRatio writes two decimals, cut rather than rounded (4.4999 is "4.49"). */
export function formatRatio(r: number): string {
  return (Math.floor(r * 100) / 100).toFixed(2);
}
