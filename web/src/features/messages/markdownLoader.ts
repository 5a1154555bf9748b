import { type ComponentType, useEffect } from 'react';
import { Store, useStore } from '../../state/store';
import type { MarkdownBodyProps } from './MarkdownBody';

interface Loaded {
  /** The renderer, once its chunk has arrived. */
  Body: ComponentType<MarkdownBodyProps> | null;
  /** Arrived, or failed to (offline, or the build on the server replaced): plain text from then on. */
  settled: boolean;
}

const loaded = new Store<Loaded>({ Body: null, settled: false });
let started = false;

/**
 * The Markdown parser and renderer (react-markdown, remark-gfm, micromark) are the largest part of the
 * client and no use to the sign-in screen, so they come in a chunk of their own: fetched once the
 * chat opens, alongside the socket's connection and the first room's messages, not before first paint.
 */
export function loadMarkdown(): void {
  if (started) return;
  started = true;
  import('./MarkdownBody').then(
    (module) => loaded.set(() => ({ Body: module.MarkdownBody, settled: true })),
    // A browser does not fetch a module again after a failed import: plain text stays readable.
    () => loaded.set(() => ({ Body: null, settled: true })),
  );
}

/** The renderer when it has arrived (starting the fetch if nothing has). */
export function useMarkdown(): Loaded {
  const state = useStore(loaded, (s) => s);
  useEffect(loadMarkdown, []);
  return state;
}
