declare global {
  interface Window {
    PARLEY_CONFIG?: { serverUrl?: string };
  }
}

/** The server's base URL without a trailing slash; '' means the page's own origin. */
export const serverUrl: string = (window.PARLEY_CONFIG?.serverUrl ?? '').replace(/\/+$/, '');
