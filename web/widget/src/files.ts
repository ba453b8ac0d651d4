// Files in the panel (issue 13, point 3): sending one (the attach button,
// drag and drop, paste) with its progress, and showing the chat's files —
// images as thumbnails, others as a button with name and size. Files are
// read with the visitor's token in a header (never a cookie, never a bare
// URL) and shown through blob: URLs. The loader keeps what every page
// needs and no more, so this module finds the rest itself: the server from
// panel.js's own URL, the site key from the snippet, the token from the
// storage the loader writes it to.
import type { FileRef } from './types';

const d = document;
const src = (d.currentScript as HTMLScriptElement | null)?.src || location.href;
const key = d.querySelector<HTMLScriptElement>('script[data-site-key]')?.dataset.siteKey || '';

const token = () => {
  try {
    return localStorage.getItem('outputdesk:' + key + ':token') || '';
  } catch {
    return '';
  }
};
const url = (rest: string) => new URL('../api/visitor/files' + rest, src).href + (rest.includes('?') ? '&' : '?') + 'site_key=' + encodeURIComponent(key);
const auth = () => ({ Authorization: 'Bearer ' + token() });

// size shows bytes as the server's messages do (1 KB = 1024 bytes).
export const size = (n: number) =>
  n < 1024 ? n + ' bytes' : n < 1048576 ? Math.round(n / 1024) + ' KB' : (n / 1048576).toFixed(1).replace(/\.0$/, '') + ' MB';

// blobs holds each file's blob: URL, fetched once per page.
const blobs = new Map<number, Promise<string>>();
function blobUrl(id: number) {
  let p = blobs.get(id);
  if (!p) {
    p = fetch(url('/' + id), { headers: auth() }).then((r) => {
      if (!r.ok) throw new Error('' + r.status);
      return r.blob().then((b) => URL.createObjectURL(b));
    });
    p.catch(() => blobs.delete(id));
    blobs.set(id, p);
  }
  return p;
}

function save(f: FileRef) {
  blobUrl(f.id).then((href) => {
    const a = d.createElement('a');
    a.href = href;
    a.download = f.name;
    a.click();
  });
}

// fileEl is a message's file: an image as a thumbnail (click to save), any
// other file as a button with its name and size.
export function fileEl(f: FileRef) {
  const b = d.createElement('button');
  b.type = 'button';
  b.className = 'fl';
  b.title = 'Download ' + f.name;
  b.onclick = () => save(f);
  if (f.type.startsWith('image/')) {
    const img = d.createElement('img');
    img.alt = f.name;
    img.className = 'fi';
    img.dataset.testid = 'od-file-image';
    blobUrl(f.id).then((u) => (img.src = u), () => (img.alt = f.name + ' (not available)'));
    b.append(img);
  } else {
    b.textContent = '📄 ' + f.name + ' (' + size(f.size) + ')';
    b.dataset.testid = 'od-file';
  }
  return b;
}

// upload sends a file into the chat: first the site's limit (refused here,
// before a byte is sent), then the bytes, telling progress(text) how far
// it got; fail(message) says why it was refused. The limit is asked at
// each upload, not once a page: an admin may change it while the page is
// open, and the widget should refuse by the limit in force.
export async function upload(file: File, chatId: number, progress: (t: string) => void, fail: (m: string) => void) {
  let max = 0;
  try {
    max = (await (await fetch(url(''))).json()).max_file_bytes;
  } catch {
    // the server says so below if it is over
  }
  if (max && file.size > max) return fail('This file is larger than ' + size(max) + ', the largest allowed');
  const x = new XMLHttpRequest();
  const q = '?chat_id=' + chatId + '&client_id=f-' + Date.now().toString(36) + Math.random().toString(36).slice(2) + '&name=' + encodeURIComponent(file.name);
  x.open('POST', url(q));
  x.setRequestHeader('Authorization', auth().Authorization);
  const name = file.name || 'file';
  progress('Sending ' + name + '…');
  x.upload.onprogress = (e) => e.lengthComputable && progress('Sending ' + name + '… ' + Math.floor((100 * e.loaded) / e.total) + '%');
  x.onload = () => {
    progress('');
    if (x.status !== 201) {
      let m = '';
      try {
        m = JSON.parse(x.responseText).error;
      } catch {
        // not JSON
      }
      fail(m || 'The file could not be sent');
    }
  };
  x.onerror = () => {
    progress('');
    fail('The file could not be sent');
  };
  x.send(file);
}
