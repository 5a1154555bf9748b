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
  /** Public rooms per page of the room list (the caller's own rooms always come whole). */
  roomPageDefault: 100,
  roomPageMax: 200,
} as const;
