// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.
import type { Message } from './messages.js';

/** Whether a message belongs on the room's main timeline (not only in a thread). */
export const inMainTimeline = (message: Pick<Message, 'threadSeq' | 'alsoToRoom'>): boolean =>
  message.threadSeq === undefined || message.alsoToRoom === true;
