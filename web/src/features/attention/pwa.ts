import { goTo } from '../../routes/paths';

/**
 * Registers the service worker (pushes, notification clicks, the offline page) once the page has
 * loaded, so it never competes with the first render. Also follows a clicked push into this window.
 */
export function installApp(): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // Without it the app works as a plain page: no pushes, no offline page.
    });
  });
  navigator.serviceWorker.addEventListener(
    'message',
    (event: MessageEvent<{ type?: string; address?: string }>) => {
      const address = event.data?.address;
      if (event.data?.type === 'parley:open' && typeof address === 'string' && address.startsWith('#/')) {
        goTo(address.slice(1));
      }
    },
  );
}

/** The unread count on the installed app's icon, where the platform has one. */
export function showAppBadge(count: number): void {
  const nav = navigator as Navigator & {
    setAppBadge?: (count?: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  if (!nav.setAppBadge || !nav.clearAppBadge) return;
  (count > 0 ? nav.setAppBadge(count) : nav.clearAppBadge()).catch(() => {});
}
