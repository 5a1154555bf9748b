// Parley's service worker: shows pushes, opens the room at the message when one is clicked, keeps the
// app badge, and answers a page load with an offline page when the server cannot be reached. Plain
// JavaScript beside index.html (not bundled), so it is served from the app's own folder and its scope
// is the app. Nothing here caches messages: the server is the one source of truth.
const shell = 'parley-shell-v2';
const offlinePage = 'offline.html';
const offlineFiles = [offlinePage, 'offline.js', 'icons/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(shell)
      .then((cache) => cache.addAll(offlineFiles))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== shell).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// Pages go to the network; when it fails, the offline page says so instead of the browser's error.
self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.mode !== 'navigate') return;
  event.respondWith(fetch(request).catch(async () => (await caches.match(offlinePage)) ?? Response.error()));
});

self.addEventListener('push', (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data) return;
  const shown = self.registration.showNotification(data.title, {
    body: data.body,
    tag: data.tag,
    renotify: true,
    icon: 'icons/icon-192.png',
    badge: 'icons/badge-96.png',
    data: { url: data.url, roomId: data.roomId },
  });
  const badge =
    'setAppBadge' in self.navigator && typeof data.badge === 'number'
      ? data.badge > 0
        ? self.navigator.setAppBadge(data.badge)
        : self.navigator.clearAppBadge()
      : Promise.resolve();
  event.waitUntil(Promise.all([shown, badge.catch(() => {})]));
});

// A click opens the room at the message: in a Parley window already open if there is one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const address = event.notification.data?.url ?? '';
  const target = new URL(address, self.registration.scope).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => client.url.startsWith(self.registration.scope));
      if (open) {
        await open.focus();
        open.postMessage({ type: 'parley:open', address });
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
