/** Limits shared by the server's validation and the client's forms. */
export const limits = {
  usernameMin: 3,
  usernameMax: 32,
  usernamePattern: /^[A-Za-z0-9_.-]+$/,
  passwordMin: 8,
  passwordMax: 256,
  roomNameMax: 64,
  roomDescriptionMax: 500,
  clientIdMax: 64,
  nicknameMax: 24,
  /** Default for MAX_MESSAGE_LENGTH; the server's configured value is in GET /api/config. */
  messageLengthDefault: 4000,
  /** Hard ceiling for any message text field on the wire, whatever the configuration. */
  messageWireMax: 100_000,
  historyPageMax: 200,
  historyPageDefault: 50,
  syncPerRoomMax: 500,
  /**
   * A room's `unreadCount` counts the messages after the reader's position up to this many; past it the
   * count says this many ("1000 or more"), so listing a room far behind costs no more than this.
   */
  unreadCountMax: 1000,
  /** Public rooms per page of the room list (the caller's own rooms always come whole). */
  roomPageDefault: 100,
  roomPageMax: 200,
  /** Distinct emoji on one message. */
  reactionsPerMessageMax: 20,
  /** Longest emoji accepted on the wire (in UTF-16 units; one grapheme is checked by the server). */
  emojiWireMax: 64,
  filesPerMessageMax: 10,
  /** Replies fetched per page of a thread. */
  threadPageMax: 200,
  /** Messages shown folded after this many characters or lines ("show more"). */
  foldAfterChars: 1500,
  foldAfterLines: 20,
} as const;
