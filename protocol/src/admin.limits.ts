// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.

/** Actions with a per-user token bucket, cluster-wide. */
export const limitActions = [
  'send',
  'edit',
  'reaction',
  'typing',
  'roomCreate',
  'memberAdd',
  'dmOpen',
  'upload',
  'report',
  'moderate',
] as const;
export type LimitAction = (typeof limitActions)[number];

/** Retention below this many days deletes recent history: it needs `confirmRetentionDays`. */
export const retentionConfirmBelowDays = 30;
