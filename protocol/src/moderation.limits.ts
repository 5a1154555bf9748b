// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.

/** Words moderators give for a ban, a mute or a report. */
export const reasonMax = 500;

/** The states of a report in the moderators' queue. */
export const reportStatuses = ['open', 'resolved', 'dismissed'] as const;
