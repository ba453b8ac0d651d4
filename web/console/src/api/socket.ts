// The console socket (/ws/console): connects, says hello with what the
// console already holds, reconnects by itself with backoff, and keeps message
// sends until the server acknowledges them. It holds no view state: the
// caller says what to watch (hello()) and receives every frame (onFrame).
import type { ServerFrame } from './types';

export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface HelloData {
  /** chat id → highest seq held */
  watch: Record<string, number>;
  visitors: boolean;
}

export interface ConsoleSocketOptions {
  hello: () => HelloData;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: SocketStatus) => void;
  /** Close code 4401: the session is gone; the socket does not reconnect. */
  onUnauthorized: () => void;
  /** A close the console cannot recover from by reconnecting (4400, 4403). */
  onFatal: (code: number) => void;
}

interface PendingSend {
  ref: string;
  chat_id: number;
  client_id: string;
  body: string;
}

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class ConsoleSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private welcomed = false;
  private nextRef = 1;
  /** Sends not yet acknowledged, in the order they were made. */
  private pending = new Map<string, PendingSend>();
  private readonly opts: ConsoleSocketOptions;

  constructor(opts: ConsoleSocketOptions) {
    this.opts = opts;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
    this.opts.onStatus('stopped');
  }

  /** Sends a frame now if the socket is up; returns the ref it carries. */
  send(frame: Record<string, unknown>): string {
    const ref = `r${this.nextRef++}`;
    this.raw({ ...frame, ref });
    return ref;
  }

  /**
   * Sends a message and keeps it until acked; it is sent again with the same
   * client_id after every reconnect. Returns the frame's ref.
   */
  sendMessage(chatId: number, clientId: string, body: string): string {
    const ref = `r${this.nextRef++}`;
    const p: PendingSend = { ref, chat_id: chatId, client_id: clientId, body };
    this.pending.set(clientId, p);
    if (this.welcomed) this.raw({ type: 'message.send', ...p });
    return ref;
  }

  /** Drops a pending send the server refused (error frame). */
  forget(clientId: string): void {
    this.pending.delete(clientId);
  }

  get isOpen(): boolean {
    return this.welcomed;
  }

  private raw(frame: Record<string, unknown>): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.welcomed) {
      this.ws.send(JSON.stringify(frame));
    }
  }

  private connect(): void {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws/console`);
    this.ws = ws;
    this.welcomed = false;
    this.opts.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');

    ws.onopen = () => {
      const h = this.opts.hello();
      ws.send(JSON.stringify({ type: 'hello', watch: h.watch, visitors: h.visitors }));
    };
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      this.handle(frame);
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.welcomed = false;
      if (this.stopped) return;
      if (ev.code === 4401) {
        this.stopped = true;
        this.opts.onStatus('stopped');
        this.opts.onUnauthorized();
        return;
      }
      if (ev.code === 4400 || ev.code === 4403) {
        this.stopped = true;
        this.opts.onStatus('stopped');
        this.opts.onFatal(ev.code);
        return;
      }
      this.scheduleReconnect();
    };
  }

  private handle(frame: ServerFrame): void {
    if (frame.type === 'welcome') {
      this.welcomed = true;
      this.attempt = 0;
      this.opts.onStatus('open');
      this.opts.onFrame(frame);
      // Resend what was never acknowledged, in order, with the same
      // client_id: the server stores each client_id once.
      for (const p of this.pending.values()) this.raw({ type: 'message.send', ...p });
      return;
    }
    if (frame.type === 'ack' && frame.client_id) this.pending.delete(frame.client_id);
    if (frame.type === 'error' && frame.ref) {
      // A refused send is not retried: sending it again would be refused again.
      for (const [id, p] of this.pending) if (p.ref === frame.ref) this.pending.delete(id);
    }
    this.opts.onFrame(frame);
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt);
    this.attempt++;
    this.opts.onStatus('reconnecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
