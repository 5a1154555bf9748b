import type { Message, ThreadReply } from '@parley/protocol';
import { request } from '../../api/http';

const message = (roomId: string, seq: number) =>
  `/api/chat/rooms/${encodeURIComponent(roomId)}/messages/${seq}`;

type One = { message: Message };

export const editMessage = (roomId: string, seq: number, text: string) =>
  request<One>('PATCH', message(roomId, seq), { text });

export const deleteMessage = (roomId: string, seq: number) => request<One>('DELETE', message(roomId, seq));

export const setReaction = (roomId: string, seq: number, emoji: string, on: boolean) =>
  request<One>(on ? 'PUT' : 'DELETE', `${message(roomId, seq)}/reactions/${encodeURIComponent(emoji)}`);

export const setPin = (roomId: string, seq: number, on: boolean) =>
  request<One>(on ? 'PUT' : 'DELETE', `${message(roomId, seq)}/pin`);

export const pins = (roomId: string) =>
  request<{ messages: Message[] }>('GET', `/api/chat/rooms/${encodeURIComponent(roomId)}/pins`);

export const thread = (roomId: string, seq: number, after?: number) =>
  request<ThreadReply>('GET', `${message(roomId, seq)}/thread?limit=100${after ? `&after=${after}` : ''}`);
