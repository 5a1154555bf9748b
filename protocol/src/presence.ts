import { z } from 'zod';
import { Id } from './entities.js';
import { presenceLimits } from './presence.limits.js';

/**
 * Presence. `online`: at least one of the person's tabs is in use; `away`: connected, but every tab has
 * been hidden or untouched for a while (the client says so with `presence:away`); `offline`: no tab.
 */
export const PresenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

/**
 * Client → server `presence:watch`: the people this socket shows, replacing its previous list. The ack
 * carries their status now; after that, `presence:changed` tells of their changes, at most one frame per
 * socket per presence window (`GET /api/config` `presenceWindowMs`).
 */
export const PresenceWatch = z.object({ userIds: z.array(Id).max(presenceLimits.watchMax) });
export type PresenceWatch = z.infer<typeof PresenceWatch>;

/** Client → server `presence:away`: this tab is away (hidden or idle) or back in use. */
export const PresenceAway = z.object({ away: z.boolean() });
export type PresenceAway = z.infer<typeof PresenceAway>;

/** Status by user id: the ack of `presence:watch`, and the batched `presence:changed`. */
export type PresenceMap = Record<string, PresenceStatus>;
