// The notification sound: a short two-note tone made with the Web Audio
// API, so there is no audio file to fetch and nothing for the
// Content-Security-Policy to allow. Browsers let a page play sound only
// after the person interacted with it (logging in counts); unlockSound,
// called from a click, makes sure of it.

let ctx: AudioContext | null = null;

function context(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = window.AudioContext as typeof AudioContext | undefined;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/** Resumes audio from a click, so that later alerts can sound. */
export function unlockSound(): void {
  const c = context();
  if (c && c.state === 'suspended') void c.resume().catch(() => {});
}

/** Plays the notification tone (about 0.3 s). Tones at the same instant sound as one. */
export function playTone(): void {
  const c = context();
  if (!c) return;
  if (c.state === 'suspended') void c.resume().catch(() => {});
  const t = c.currentTime;
  const osc = c.createOscillator();
  const gain = c.createGain();
  osc.type = 'sine';
  osc.frequency.setValueAtTime(880, t);
  osc.frequency.setValueAtTime(660, t + 0.12);
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
  osc.connect(gain).connect(c.destination);
  osc.start(t);
  osc.stop(t + 0.32);
}
