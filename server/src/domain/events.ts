import { EventEmitter } from 'node:events';
import type { Member, Message, Room, UserSummary } from '@parley/protocol';

/**
 * What the domain announces after a commit. Transports (the socket layer) listen and deliver; nothing
 * here knows about sockets.
 */
export interface DomainEvents {
  'message.created': [message: Message];
  'member.joined': [event: { roomId: string; user: UserSummary; by?: UserSummary; member: Member }];
  'member.left': [event: { roomId: string; user: UserSummary; by?: UserSummary }];
  'room.cleared': [event: { roomId: string }];
  'room.updated': [event: { roomId: string; name: string; description: string }];
  /** A public room, as someone who has not joined it sees it. */
  'room.created': [room: Room];
  'read.moved': [event: { userId: string; roomId: string; seq: number }];
  'session.revoked': [event: { sessionId: string }];
  'user.renamed': [event: { userId: string }];
}

export class DomainEventBus extends EventEmitter<DomainEvents> {}
