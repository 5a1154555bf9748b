import type { Member, Message, PresenceStatus, Room, User, UserSummary } from '@parley/protocol';
import type { OutboxEntry } from './outbox';

export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** A line in the timeline that is not a message: joins, leaves, a cleared history. */
export interface Notice {
  id: string;
  /** Shown after the message with this seq (0: before any message). */
  afterSeq: number;
  text: string;
}

export interface Timeline {
  messages: Message[];
  /** Older history exists on the server. */
  hasMore: boolean;
  /**
   * The timeline holds a page around a linked message, not the latest: newer messages exist that it
   * does not hold (loaded as the reader scrolls down; live ones wait until then).
   */
  hasNewer?: boolean;
  loading: boolean;
  notices: Notice[];
  /** Where the "new messages" marker goes for this visit; null when everything was read. */
  firstUnreadSeq: number | null;
  error?: string;
}

export interface TypingEntry {
  user: UserSummary;
  until: number;
}

export interface ChatState {
  me: User;
  connection: Connection;
  reconnectAttempt: number;
  rooms: Record<string, Room>;
  roomsLoaded: boolean;
  timelines: Record<string, Timeline>;
  members: Record<string, Member[]>;
  /** For a room whose member list is paged: where the next page starts (absent when all are loaded). */
  memberCursors: Record<string, string>;
  /** Status by user id, of the people this tab watches (and anyone a member list showed). */
  presence: Record<string, PresenceStatus>;
  typing: Record<string, TypingEntry[]>;
  outbox: OutboxEntry[];
  activeRoomId: string | null;
  maxMessageLength: number;
}

export const emptyTimeline: Timeline = {
  messages: [],
  hasMore: false,
  loading: false,
  notices: [],
  firstUnreadSeq: null,
};
