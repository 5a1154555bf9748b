import type { ErrorCode } from '@parley/protocol';
import { ApiError, errorText } from '../../api/errors';

export interface CredentialErrors {
  username?: string;
  password?: string;
  form?: string;
}

const usernameCodes = new Set<ErrorCode>(['username_taken', 'invalid_username']);
const passwordCodes = new Set<ErrorCode>(['weak_password']);

/** Puts each server error beside the field that caused it. */
export function placeCredentialError(error: unknown): CredentialErrors {
  if (error instanceof ApiError) {
    if (usernameCodes.has(error.code)) return { username: error.message };
    if (passwordCodes.has(error.code)) return { password: error.message };
  }
  return { form: errorText(error) };
}
