// Client ids for message.send. crypto.randomUUID exists only in secure
// contexts, and a console may be served over plain http on a LAN, so this
// builds the id from getRandomValues, which exists everywhere.
export function newClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `c-${hex}`;
}
