// Files in a chat: sending them (the attach button, drag and drop onto the
// chat, paste into the message box) with progress, and showing them —
// images as thumbnails, other files as a link with name and size. A file
// over the site's "Largest file" is refused here, before it is sent; its
// type is the server's to judge, from its bytes.
import { useRef, useState } from 'preact/hooks';
import { fileSize, fileUrl, sendFile } from '../../api/files';
import { getSettings } from '../../api/endpoints';
import { errorText } from '../../api/http';
import type { FileRef } from '../../api/types';

export function useFileSender(chatId: number) {
  const [progress, setProgress] = useState('');
  const [error, setError] = useState('');

  async function send(files: File[]) {
    setError('');
    for (const f of files) {
      try {
        const { max_file_bytes: max } = await getSettings();
        if (f.size > max) {
          setError(`${f.name}: This file is larger than ${fileSize(max)}, the largest allowed`);
          continue;
        }
        setProgress(`Sending ${f.name}… 0%`);
        await sendFile(chatId, f, (p) => setProgress(`Sending ${f.name}… ${p}%`));
      } catch (err) {
        setError(`${f.name}: ${errorText(err)}`);
      } finally {
        setProgress('');
      }
    }
  }

  const status =
    progress || error ? (
      <p class={error ? 'file-status error' : 'file-status muted'} role={error ? 'alert' : 'status'} data-testid="file-status">
        {error || progress}
      </p>
    ) : null;
  // drop: the chat pane takes files dropped on it
  const drop = {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const files = e.dataTransfer?.files;
      if (!files?.length) return;
      e.preventDefault();
      send(Array.from(files));
    },
  };
  return { send, status, drop };
}

/** The attach button: a hidden file input behind a button. */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        type="file"
        ref={input}
        hidden
        multiple
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          if (files.length) onFiles(files);
        }}
      />
      <button type="button" class="attach" disabled={disabled} data-testid="attach" onClick={() => input.current?.click()}>
        Attach file
      </button>
    </>
  );
}

/** A message's file: an image as a thumbnail, another file as a link. */
export function FileView({ file }: { file: FileRef }) {
  const url = fileUrl(file.id);
  if (file.type.startsWith('image/')) {
    return (
      <a href={url} target="_blank" rel="noopener" class="msg-file" title={file.name}>
        <img src={url} alt={file.name} class="msg-thumb" data-testid="file-image" />
      </a>
    );
  }
  return (
    <a href={url} download={file.name} class="msg-file" data-testid="file-link">
      📄 {file.name} ({fileSize(file.size)})
    </a>
  );
}
