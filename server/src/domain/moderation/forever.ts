/** Stored as the end of a mute that lasts until lifted: one comparison serves both kinds. */
export const forever = '9999-12-31T23:59:59.999Z';
