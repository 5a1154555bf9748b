/**
 * Where files are served. The name in a file's path is only for the browser (the name a download is
 * saved under); the id finds the file. These are the bare paths payloads carry: a file's URL is
 * signed per viewer (links.ts), an avatar's is not (avatars.ts says why).
 */
export const fileUrl = (id: string, name: string) => `/api/files/${id}/${encodeURIComponent(name)}`;
export const thumbUrl = (id: string) => `/api/thumbs/${id}`;
export const avatarUrl = (id: string) => `/api/avatars/${id}`;
