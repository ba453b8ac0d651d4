// Typing frames, throttled: one "typing" when the operator starts and then
// at most every 2 s while they go on, one "stopped" when the box empties or
// the message is sent (docs/protocol.md, typing).

export const TYPING_EVERY_MS = 2000;

export class TypingSender {
  private last = 0;
  private active = false;

  constructor(private send: (active: boolean) => void) {}

  /** The text in the box changed. */
  input(text: string, now = Date.now()): void {
    if (!text.trim()) return this.stop();
    if (this.active && now - this.last < TYPING_EVERY_MS) return;
    this.active = true;
    this.last = now;
    this.send(true);
  }

  /** The message was sent, or the box emptied. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.send(false);
  }
}
