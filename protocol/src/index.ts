export * from './admin.js';
export * from './entities.js';
export * from './errors.js';
export * from './events.js';
export * from './limits.js';
export * from './messages.js';
export * from './rest.js';
export * from './moderation.js';
