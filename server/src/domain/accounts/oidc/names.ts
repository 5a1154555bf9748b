import { limits } from '@parley/protocol';

/**
 * A Parley username from what the provider says (preferred_username, else the email's local part):
 * characters Parley does not allow become "-", and the "guest-" prefix (kept for guests) is dropped.
 */
export function baseUsername(claims: Record<string, unknown>, usernameClaim: string): string {
  const claimed = claims[usernameClaim];
  const email = typeof claims.email === 'string' ? claims.email.split('@')[0] : undefined;
  const raw = (typeof claimed === 'string' && claimed.trim()) || email || 'user';
  let name = raw
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^guest-/i, '')
    .slice(0, limits.usernameMax);
  if (name.length < limits.usernameMin) name = `${name}${'user'}`.slice(0, limits.usernameMax);
  return name;
}

/** The base name, then name2, name3 … (shortened to fit), for a name someone already holds. */
export function candidateUsername(base: string, attempt: number): string {
  if (attempt === 0) return base;
  const suffix = String(attempt + 1);
  return `${base.slice(0, limits.usernameMax - suffix.length)}${suffix}`;
}
