/**
 * The catalog of every error Parley answers with. One shape on the wire:
 * REST `{statusCode, code, error, message}`, socket acks `{ok: false, error: {code, message}}`.
 */
export const errorCatalog = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  weak_password: { status: 400, message: 'Choose a stronger password.' },
  invalid_username: { status: 400, message: 'Usernames are 3–32 letters, digits, "_", "." or "-".' },
  message_empty: { status: 400, message: 'A message needs some text.' },
  message_too_long: { status: 400, message: 'The message is too long.' },
  confirmation_required: {
    status: 400,
    message: 'This change deletes data: send it again with the confirmation value.',
  },
  invite_invalid: { status: 400, message: 'That invite link is not valid, used up or expired.' },
  invalid_emoji: { status: 400, message: 'A reaction is one emoji.' },
  invalid_thread: {
    status: 400,
    message: 'Replies go to a message of the same room that is not itself a reply.',
  },
  invalid_seq: { status: 400, message: 'That message number is beyond the last message of the room.' },
  invalid_subscription: {
    status: 400,
    message: 'That push subscription is not valid: it needs an https endpoint and the browser’s keys.',
  },
  dm_with_self: { status: 400, message: 'A direct message needs another person.' },
  wrong_password: { status: 400, message: 'That is not your current password.' },
  password_reused: { status: 400, message: 'Choose a password different from the current one.' },
  reset_link_invalid: {
    status: 400,
    message: 'That password reset link is not valid, already used or expired; ask for a new one.',
  },
  email_link_invalid: { status: 400, message: 'That email link is not valid, already used or expired.' },
  invalid_email: { status: 400, message: 'That does not look like an email address.' },
  invalid_time_zone: { status: 400, message: 'That is not a known time zone.' },
  invalid_profile: { status: 400, message: 'That profile field is too long or not allowed.' },
  not_a_guest: { status: 400, message: 'This account already has a username and password.' },
  query_empty: { status: 400, message: 'Type a word to search for.' },
  query_too_long: { status: 400, message: 'That search is too long.' },
  unauthorized: { status: 401, message: 'Sign in to continue.' },
  two_factor_invalid: { status: 401, message: 'That code is not right, or it was already used.' },
  two_factor_expired: { status: 401, message: 'The sign-in took too long; sign in again.' },
  sso_failed: { status: 401, message: 'Single sign-on did not succeed; try again.' },
  sso_group_denied: {
    status: 403,
    message: 'Your account at the sign-on provider is not in a group allowed on this server.',
  },
  password_login_disabled: {
    status: 403,
    message: 'Signing in with a password is switched off on this server; use single sign-on.',
  },
  two_factor_required: { status: 403, message: 'This server requires two-factor sign-in for your account.' },
  sso_not_configured: { status: 404, message: 'Single sign-on is not set up on this server.' },
  two_factor_enabled: { status: 409, message: 'Two-factor sign-in is already on.' },
  two_factor_not_enabled: { status: 409, message: 'Two-factor sign-in is not on.' },
  identity_taken: { status: 409, message: 'That sign-on identity is linked to another account.' },
  password_needed: {
    status: 409,
    message: 'This account has no other way to sign in: set a password first.',
  },
  invalid_credentials: { status: 401, message: 'Wrong username or password.' },
  forbidden: { status: 403, message: 'You are not allowed to do that.' },
  account_disabled: { status: 403, message: 'This account is disabled.' },
  registration_closed: { status: 403, message: 'Registration is closed on this server.' },
  invite_required: { status: 403, message: 'Registration on this server needs an invite link.' },
  guests_disabled: { status: 403, message: 'Guest access is switched off on this server.' },
  banned: { status: 403, message: 'You are banned from this room.' },
  muted: { status: 403, message: 'You are muted in this room.' },
  blocked: { status: 403, message: 'This person does not accept messages from you.' },
  room_archived: { status: 409, message: 'This room is archived: it is read-only.' },
  last_admin: { status: 409, message: 'The server needs at least one admin.' },
  not_found: { status: 404, message: 'Not found.' },
  room_not_found: { status: 404, message: 'No such room.' },
  session_not_found: { status: 404, message: 'No such session.' },
  user_not_found: { status: 404, message: 'No such user.' },
  message_not_found: { status: 404, message: 'No such message.' },
  username_taken: { status: 409, message: 'That username is taken.' },
  room_name_taken: { status: 409, message: 'A room with that name already exists.' },
  client_id_reused: { status: 409, message: 'That clientId was already used for a message in another room.' },
  not_a_member: { status: 403, message: 'Join the room first.' },
  dm_not_leavable: { status: 409, message: 'A direct message cannot be left.' },
  message_deleted: { status: 409, message: 'That message was deleted.' },
  too_many_reactions: {
    status: 409,
    message: 'This message has as many different reactions as it can hold.',
  },
  too_many_subscriptions: {
    status: 409,
    message: 'Too many devices receive notifications for this account; remove one first.',
  },
  payload_too_large: { status: 413, message: 'The request is too large.' },
  file_too_large: { status: 413, message: 'The file is larger than this server accepts.' },
  upload_quota_exceeded: { status: 413, message: 'Your uploads have reached their storage quota.' },
  image_too_large: { status: 413, message: 'The image has more pixels than this server accepts.' },
  file_empty: { status: 400, message: 'The file is empty.' },
  file_missing: { status: 400, message: 'Send the file as a multipart part named "file".' },
  invalid_file_name: {
    status: 400,
    message: 'File names cannot contain "/", "\\" or control characters, and are at most 255 characters.',
  },
  file_type_mismatch: {
    status: 400,
    message: 'The file’s content does not match its name or declared type.',
  },
  invalid_image: { status: 400, message: 'That image could not be read.' },
  upload_incomplete: { status: 400, message: 'The upload ended before the whole file arrived.' },
  file_not_found: { status: 404, message: 'No such file.' },
  file_attached: { status: 409, message: 'That file is already attached to a message.' },
  file_link_invalid: { status: 403, message: 'This file link is not valid.' },
  file_link_expired: { status: 403, message: 'This file link has expired; reload to get a fresh one.' },
  range_not_satisfiable: { status: 416, message: 'The requested range is outside the file.' },
  unsupported_media_type: { status: 415, message: 'Send JSON (Content-Type: application/json).' },
  rate_limited: { status: 429, message: 'Too many attempts; wait a moment and try again.' },
  unavailable: { status: 503, message: 'The service is unavailable right now; try again shortly.' },
  search_unavailable: { status: 503, message: 'Search is switched off on this server.' },
  push_unavailable: { status: 503, message: 'Push notifications are not set up on this server.' },
  shutting_down: { status: 503, message: 'The server is restarting; try again shortly.' },
  internal: { status: 500, message: 'Something went wrong on the server.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  error: string;
  message: string;
  /** With `rate_limited`: milliseconds until a retry can succeed (also the Retry-After header, in seconds). */
  retryAfter?: number;
}

export interface AckError {
  code: ErrorCode;
  message: string;
  /** With `rate_limited`: milliseconds until a retry can succeed. */
  retryAfter?: number;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}
