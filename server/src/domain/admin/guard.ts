import type { Auth } from '../accounts/sessions.js';
import { fail } from '../../errors.js';

/** Every admin route asks this first, from the session's user as read from the database on this request. */
export function requireAdmin(auth: Auth): void {
  if (!auth.user.admin) fail('forbidden', 'Only server admins can do that.');
}
