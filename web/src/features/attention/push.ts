import * as api from '../../api/attention';
import { ApiError } from '../../api/errors';

export type PushState = 'unsupported' | 'unavailable' | 'denied' | 'off' | 'on';

export const pushSupported = (): boolean =>
  'serviceWorker' in navigator && 'PushManager' in window && typeof Notification !== 'undefined';

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!pushSupported()) return null;
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

/** Whether this browser gets pushes for this person now. */
export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await registration();
  const subscription = await reg?.pushManager.getSubscription();
  return subscription && Notification.permission === 'granted' ? 'on' : 'off';
}

/**
 * Asks for permission (from a click: browsers refuse prompts nobody asked for), subscribes this browser
 * with the server's key and hands the subscription to the server. Sending it again is harmless.
 */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if ((await Notification.requestPermission()) !== 'granted') return 'denied';
  let key: string;
  try {
    key = (await api.fetchPushKey()).key;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'push_unavailable') return 'unavailable';
    throw error;
  }
  const reg = (await registration()) ?? (await navigator.serviceWorker.register('./sw.js'));
  await navigator.serviceWorker.ready;
  const subscription =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
  const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await api.postPushSubscription({ endpoint: json.endpoint, keys: json.keys });
  return 'on';
}

/** Stops pushes to this browser: on the server and in the browser. */
export async function disablePush(): Promise<PushState> {
  const subscription = await (await registration())?.pushManager.getSubscription();
  if (subscription) {
    await api.deletePushSubscription(subscription.endpoint).catch(() => {});
    await subscription.unsubscribe().catch(() => false);
  }
  return pushSupported() ? 'off' : 'unsupported';
}
