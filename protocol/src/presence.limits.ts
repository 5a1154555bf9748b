// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.

export const presenceLimits = {
  /** People one socket may watch at once: what a screen shows (a member page, the DM list). */
  watchMax: 1000,
} as const;
