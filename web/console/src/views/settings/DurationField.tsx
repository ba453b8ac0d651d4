// A duration edited as minutes and seconds, stored as whole seconds.
export function DurationField(p: { id: string; label: string; seconds: number; onChange: (s: number) => void; disabled?: boolean }) {
  const min = Math.floor(p.seconds / 60);
  const sec = p.seconds % 60;
  const num = (v: string) => {
    const n = Math.trunc(Number(v));
    return Number.isFinite(n) && n > 0 ? n : 0;
  };
  return (
    <fieldset class="duration" disabled={p.disabled}>
      <legend>{p.label}</legend>
      <input
        id={`${p.id}-min`}
        type="number"
        min={0}
        max={1440}
        step={1}
        value={String(min)}
        aria-label={`${p.label} minutes`}
        onInput={(e) => p.onChange(num(e.currentTarget.value) * 60 + sec)}
      />
      <label for={`${p.id}-min`}>min</label>
      <input
        id={`${p.id}-sec`}
        type="number"
        min={0}
        max={59}
        step={1}
        value={String(sec)}
        aria-label={`${p.label} seconds`}
        onInput={(e) => p.onChange(min * 60 + Math.min(59, num(e.currentTarget.value)))}
      />
      <label for={`${p.id}-sec`}>s</label>
    </fieldset>
  );
}
