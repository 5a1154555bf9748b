import { serverUrl } from '../config';
import { ApiError, describeError } from './errors';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let token: string | null = null;
let onUnauthorized: () => void = () => {};

export function setToken(value: string | null): void {
  token = value;
}

/** Called when the server says the session is gone, so the app can return to the login screen. */
export function onSessionRejected(handler: () => void): void {
  onUnauthorized = handler;
}

/** The session's bearer header, for the few calls made without `request` (uploads with progress). */
export const authHeaders = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = authHeaders();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('unavailable', 'Could not reach the server. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  const fields = (payload ?? {}) as { code?: unknown; message?: unknown };
  const error = describeError(fields.code, fields.message);
  // A 401 on an authenticated call means the token was revoked or expired, not a wrong password.
  if (response.status === 401 && token && error.code === 'unauthorized') onUnauthorized();
  throw error.code === 'internal' && response.status !== 500
    ? new ApiError('internal', `The server answered ${response.status}.`, response.status)
    : error;
}

/** A file the API serves to the signed-in person (an export): fetched with the token, as a Blob. */
export async function requestBlob(path: string): Promise<Blob> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, { headers });
  } catch {
    throw new ApiError('unavailable', 'Could not reach the server. Check your connection and try again.');
  }
  if (response.ok) return response.blob();
  const fields = ((await response.json().catch(() => null)) ?? {}) as { code?: unknown; message?: unknown };
  throw describeError(fields.code, fields.message);
}
