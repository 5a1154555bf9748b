import type { FileGrant, UploadedFile, User } from '@parley/protocol';
import { serverUrl } from '../config';
import { ApiError, describeError } from './errors';
import { authHeaders, request } from './http';

export const fetchGrant = () => request<FileGrant>('GET', '/api/files/grant');

export const removeAvatar = () => request<{ user: User }>('DELETE', '/api/me/avatar');

/**
 * Sends one file as multipart/form-data with XMLHttpRequest, the one browser API that reports upload
 * progress. Resolves with the server's reply; rejects with an ApiError (code `aborted` is never used:
 * a cancelled upload rejects with a DOMException named AbortError).
 */
function send<T>(
  method: 'POST' | 'PUT',
  path: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, `${serverUrl}${path}`);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as (T & { code?: unknown; message?: unknown }) | null;
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body);
      // A proxy in front of the server may refuse a large body with its own page and no code.
      const code = body?.code ?? (xhr.status === 413 ? 'file_too_large' : undefined);
      reject(describeError(code, body?.message));
    };
    xhr.onerror = () =>
      reject(
        new ApiError(
          'unavailable',
          'The upload did not reach the server. Check your connection and try again.',
        ),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export const uploadToRoom = (
  roomId: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
) =>
  send<{ file: UploadedFile }>(
    'POST',
    `/api/chat/rooms/${encodeURIComponent(roomId)}/files`,
    file,
    onProgress,
    signal,
  ).then((reply) => reply.file);

/** `PUT /api/me/avatar`: the profile screen's avatar control calls this. */
export const uploadAvatar = (file: File, onProgress: (sent: number, total: number) => void = () => {}) =>
  send<{ user: User }>('PUT', '/api/me/avatar', file, onProgress).then((reply) => reply.user);
