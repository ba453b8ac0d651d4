// Labelled form fields: every input has a <label for>, so tests and screen
// readers find it by its label.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

interface Base {
  id: string;
  label: string;
  hint?: string;
  disabled?: boolean;
}

export function TextField(
  p: Base & {
    value: string;
    onInput: (v: string) => void;
    type?: 'text' | 'email' | 'password' | 'url' | 'search' | 'date';
    required?: boolean;
    placeholder?: string;
    autoComplete?: string;
    readOnly?: boolean;
  },
) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        // Preact's typings tie some attributes to each input type; every type
        // offered here takes the same attributes as "text".
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        required={p.required}
        placeholder={p.placeholder}
        autoComplete={p.autoComplete}
        disabled={p.disabled}
        readOnly={p.readOnly}
      />
      {p.hint && <small class="hint">{p.hint}</small>}
    </div>
  );
}

export function NumberField(
  p: Base & { value: number; onInput: (v: number) => void; min?: number; max?: number; required?: boolean },
) {
  // Keep the typed text, so the box can be emptied while typing a new number.
  const [text, setText] = useState(String(p.value));
  useEffect(() => {
    if (Number(text) !== p.value) setText(String(p.value));
  }, [p.value]);
  return (
    <div class="field field-number">
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        type="number"
        inputMode="numeric"
        value={text}
        min={p.min}
        max={p.max}
        step={1}
        required={p.required}
        disabled={p.disabled}
        onInput={(e) => {
          const v = e.currentTarget.value;
          setText(v);
          const n = Number(v);
          p.onInput(Number.isFinite(n) ? Math.trunc(n) : 0);
        }}
      />
      {p.hint && <small class="hint">{p.hint}</small>}
    </div>
  );
}

export function TextAreaField(
  p: Base & { value: string; onInput?: (v: string) => void; rows?: number; readOnly?: boolean; required?: boolean },
) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <textarea
        id={p.id}
        rows={p.rows ?? 3}
        value={p.value}
        readOnly={p.readOnly}
        required={p.required}
        disabled={p.disabled}
        onInput={(e) => p.onInput?.(e.currentTarget.value)}
      />
      {p.hint && <small class="hint">{p.hint}</small>}
    </div>
  );
}

export function SelectField<T extends string>(
  p: Base & { value: T; onChange: (v: T) => void; options: { value: T; label: string }[]; testId?: string },
) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <select
        id={p.id}
        value={p.value}
        disabled={p.disabled}
        data-testid={p.testId}
        onChange={(e) => p.onChange(e.currentTarget.value as T)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {p.hint && <small class="hint">{p.hint}</small>}
    </div>
  );
}

export function CheckboxField(p: Base & { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="field field-check">
      <input
        id={p.id}
        type="checkbox"
        checked={p.checked}
        disabled={p.disabled}
        onChange={(e) => p.onChange(e.currentTarget.checked)}
      />
      <label for={p.id}>{p.label}</label>
    </div>
  );
}

export function ErrorText({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

export function FormActions({ children }: { children: ComponentChildren }) {
  return <div class="form-actions">{children}</div>;
}
