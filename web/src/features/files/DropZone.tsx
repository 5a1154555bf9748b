import { type DragEvent, type ReactNode, useRef, useState } from 'react';
import { useChat } from '../../components/ChatContext';
import { attachFiles } from './uploads';

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/** Files dropped anywhere on the room go with the next message; the room says so while they hover. */
export function DropZone({
  roomId,
  label,
  enabled,
  className,
  children,
}: {
  roomId: string;
  label: string;
  enabled: boolean;
  className: string;
  children: ReactNode;
}) {
  const chat = useChat();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer left.
  const depth = useRef(0);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the composer's Attach button is the keyboard's way in
    <div
      className={`${className} drop-zone`}
      onDragEnter={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        void attachFiles(chat, roomId, [...e.dataTransfer.files]);
      }}
    >
      {children}
      {over ? (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop files to share them in {label}</p>
        </div>
      ) : null}
    </div>
  );
}
