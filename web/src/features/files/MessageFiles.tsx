import type { MessageFile } from '@parley/protocol';
import { useRef, useState } from 'react';
import { useChat } from '../../components/ChatContext';
import { FileIcon } from './FileIcon';
import { formatSize, kindLabel, kindOf } from './kinds';
import { Lightbox } from './Lightbox';
import { fileLinks, useSignedUrl } from './links';

/** Largest edge of an image preview in the timeline, in CSS pixels. */
const previewEdge = 320;

function fit(file: MessageFile): { width: number; height: number } | undefined {
  if (!file.width || !file.height) return undefined;
  const scale = Math.min(1, previewEdge / Math.max(file.width, file.height));
  return { width: Math.round(file.width * scale), height: Math.round(file.height * scale) };
}

function ImagePreview({ file, onOpen }: { file: MessageFile; onOpen: () => void }) {
  const chat = useChat();
  const { signed: src, renew } = useSignedUrl(chat, file.thumbUrl, file.id);
  const retried = useRef(false);
  const box = fit(file);
  return (
    <button type="button" className="image-preview" onClick={onOpen} aria-label={`Open image ${file.name}`}>
      {src ? (
        <img
          src={src}
          alt={file.name}
          width={box?.width}
          height={box?.height}
          loading="lazy"
          // A lazy image first fetched after its link expired: signed again with a fresh grant, once.
          onError={() => {
            if (retried.current) return;
            retried.current = true;
            void renew();
          }}
        />
      ) : (
        <span className="image-placeholder" style={box} />
      )}
    </button>
  );
}

function FileCard({ file }: { file: MessageFile }) {
  const chat = useChat();
  const { signed: href, renew } = useSignedUrl(chat, file.url, file.id);
  const kind = kindOf(file.type, file.name);
  const following = useRef(false);
  return (
    <a
      className="file-card"
      href={href}
      download={file.name}
      rel="noopener"
      aria-disabled={!href}
      onClick={(e) => {
        if (following.current) {
          following.current = false;
          return;
        }
        if (!href || fileLinks(chat).fresh) return;
        // Signed with a grant that has expired or is about to: follow a freshly signed link instead.
        e.preventDefault();
        const anchor = e.currentTarget;
        void renew().then((fresh) => {
          if (!fresh) return;
          anchor.href = fresh;
          following.current = true;
          anchor.click();
        });
      }}
    >
      <FileIcon kind={kind} />
      <span className="file-card-text">
        <span className="file-name">{file.name}</span>
        <span className="file-meta">
          {kindLabel[kind]} · {formatSize(file.size)}
        </span>
      </span>
    </a>
  );
}

/** A message's files: images as previews that open in a lightbox, everything else as cards. */
export function MessageFiles({ files }: { files: MessageFile[] }) {
  const [open, setOpen] = useState<MessageFile | null>(null);
  if (files.length === 0) return null;
  const images = files.filter((file) => file.thumbUrl);
  const others = files.filter((file) => !file.thumbUrl);
  return (
    <div className="message-files">
      {images.length > 0 ? (
        <div className="image-previews">
          {images.map((file) => (
            <ImagePreview key={file.id} file={file} onOpen={() => setOpen(file)} />
          ))}
        </div>
      ) : null}
      {others.map((file) => (
        <FileCard key={file.id} file={file} />
      ))}
      {open ? <Lightbox file={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
