import type { FileKind } from './kinds';

/** A page with a folded corner and the kind's mark: the icon of a file card. */
export function FileIcon({ kind }: { kind: FileKind }) {
  const mark: Record<FileKind, string> = {
    image: 'M8 17l3-4 2 2 3-4 3 6z',
    video: 'M10 11v6l5-3z',
    audio: 'M10 17a2 2 0 1 1 0-1V10l6-1v6a2 2 0 1 1 0-1',
    pdf: 'M8 13h8M8 16h8M8 10h4',
    archive: 'M11 9h2M11 11h2M11 13h2M11 15h2v3h-2z',
    text: 'M8 11h8M8 14h8M8 17h5',
    file: 'M8 13h8M8 16h6',
  };
  return (
    <svg
      className={`file-icon file-icon-${kind}`}
      viewBox="0 0 24 24"
      width="32"
      height="32"
      aria-hidden="true"
    >
      <path d="M6 2h9l5 5v15H6z" fill="currentColor" opacity="0.15" />
      <path d="M6 2h9l5 5v15H6zM15 2v5h5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d={mark[kind]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}
