// Files in chats (docs/protocol.md, "Files"): an upload is the file's raw
// bytes, sent with XMLHttpRequest so that its progress can be shown.
import { ApiError, csrf } from './http';
import type { Message } from './types';
import { newClientId } from '../lib/ids';

/** Where the console reads a file (any operator of the site). */
export const fileUrl = (id: number) => `/api/files/${id}`;

/** size shows bytes as the server's messages do (1 KB = 1024 bytes). */
export function fileSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1048576) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1048576).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** Sends a file into a chat of the operator's; onProgress gets 0–100. */
export function sendFile(chatId: number, file: File, onProgress: (percent: number) => void): Promise<Message> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    const q = `client_id=${encodeURIComponent(newClientId())}&name=${encodeURIComponent(file.name)}`;
    x.open('POST', `/api/chats/${chatId}/files?${q}`);
    x.setRequestHeader('X-CSRF-Token', csrf());
    x.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.floor((100 * e.loaded) / e.total));
    x.onload = () => {
      let data: { message?: Message; error?: string; code?: string } = {};
      try {
        data = JSON.parse(x.responseText);
      } catch {
        // not JSON: the status says it
      }
      if (x.status === 201 && data.message) resolve(data.message);
      else reject(new ApiError(x.status, data.code ?? 'error', data.error ?? `The server answered ${x.status}.`));
    };
    x.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.'));
    x.send(file);
  });
}
