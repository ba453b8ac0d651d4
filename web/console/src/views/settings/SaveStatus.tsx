export function SaveStatus({ error, saved }: { error: string; saved: boolean }) {
  if (error) {
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  }
  if (saved) {
    return (
      <p class="success" role="status">
        Saved.
      </p>
    );
  }
  return null;
}
